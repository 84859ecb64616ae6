import { AppError } from '@agent-bot/contracts';

/**
 * Turns an Octokit failure into an AppError that carries no request: Octokit's RequestError holds
 * the request body (client secrets, refresh tokens), so it must never reach a log as a cause.
 */
export function toGitHubError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
  if (status === 401)
    return new AppError('GITHUB_UNAUTHORIZED', `GitHub refused the credentials while trying to ${what} (401)`, {
      expected: true,
    });
  if (status === 404)
    return new AppError('GITHUB_NOT_FOUND', `GitHub found nothing while trying to ${what} (404)`, { expected: true });
  if (status === 403 || status === 429)
    return new AppError('GITHUB_FORBIDDEN', `GitHub refused to ${what} (${status})`, { expected: true });
  if (status !== undefined && status < 500)
    return new AppError('GITHUB_REQUEST_FAILED', `GitHub rejected the request to ${what} (${status})`, { expected: true });
  return new AppError('GITHUB_UNAVAILABLE', `GitHub could not be reached to ${what}${status ? ` (${status})` : ''}`);
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}
