import { AppError } from '@agent-bot/contracts';

export interface HttpOptions {
  /** Per request; a provider that does not answer in time fails the reply, not the task. */
  timeoutMs?: number;
  /** A 429 whose Retry-After is at most this long is waited out once; a longer one fails at once. */
  maxRetryAfterSeconds?: number;
}

export interface HttpResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RETRY_AFTER_SECONDS = 30;

/** Retry-After is delay-seconds (what Slack, Jira and Sentry send) or an HTTP date. */
export function retryAfterSeconds(value: string | null): number {
  if (value === null || value.trim() === '') return 1;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1 : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * One JSON request to a provider API, with a time limit and a single wait on 429. Errors name the
 * service and origin, never the headers (they carry the credentials).
 */
export async function sendJson(
  service: string,
  request: { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: unknown },
  options: HttpOptions = {},
): Promise<HttpResponse> {
  const origin = new URL(request.url).origin;
  const maxWait = options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method ?? 'POST',
        headers: {
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : describeFetchError(error);
      throw new AppError('REPLY_UNREACHABLE', `${service} is not reachable at ${origin}: ${reason}`, { cause: error });
    }
    const text = await response.text();
    if (response.status === 429) {
      const wait = retryAfterSeconds(response.headers.get('retry-after'));
      if (attempt === 1 && wait <= maxWait) {
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      throw new AppError(
        'REPLY_RATE_LIMITED',
        `${service} is rate limiting replies (HTTP 429, Retry-After ${wait} s${attempt > 1 ? ', after one wait' : ''})`,
      );
    }
    return { status: response.status, text, json: parse(text) };
  }
}

function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** A short, single-line excerpt of a provider's error body for a task event. */
export function excerpt(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export function contextString(context: Record<string, unknown>, key: string): string | undefined {
  const value = context[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
