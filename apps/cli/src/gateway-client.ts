import { CliError } from './cli-io.js';

/** Talks to the gateway's REST API with the admin token, turning failures into messages that name the fix. */
export class GatewayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly adminToken: string | undefined,
  ) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    if (!this.adminToken) {
      throw new CliError('ADMIN_TOKEN is not set: export it or run from the directory holding the .env that npm start wrote');
    }
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the gateway at ${this.baseUrl} (${(error as Error).message}): is it running (npm start)? ` +
          'Point the CLI at it with --url or PUBLIC_URL.',
      );
    }
    const text = await response.text();
    const json = parseJson(text);
    if (text !== '' && json === undefined) {
      // A proxy's error page, or another server (a wrong --url): say so instead of a JSON stack trace.
      throw new CliError(
        `${method} ${path} answered ${response.status} with something that is not JSON ("${text.slice(0, 60).replace(/\s+/g, ' ')}..."): ` +
          `is ${this.baseUrl} the agent-bot gateway? Point the CLI at it with --url or PUBLIC_URL.`,
      );
    }
    if (response.status === 401)
      throw new CliError('the gateway refused the admin token: use the ADMIN_TOKEN the gateway runs with');
    if (!response.ok) {
      const error = (json as { error?: ApiError } | undefined)?.error;
      throw new GatewayRequestError(
        `${method} ${path} failed: ${response.status} ${error?.code ?? ''} ${error?.message ?? text}${describeIssues(error)}`.trim(),
        response.status,
        error?.code,
        error?.message,
      );
    }
    return json as T;
  }
}

/**
 * The gateway answered with an error. Commands that can say more than the status line (a 409
 * TASK_NOT_CANCELLABLE means something to do next) read `code`; the others let the message stand.
 */
export class GatewayRequestError extends CliError {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    /** The gateway's own message, without the method, path and status. */
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = 'GatewayRequestError';
  }
}

interface ApiError {
  code?: string;
  message?: string;
  /** VALIDATION_FAILED names each bad field (a query parameter is the option of the same name). */
  issues?: { path?: string; message?: string }[];
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeIssues(error: ApiError | undefined): string {
  if (!error?.issues?.length) return '';
  return `: ${error.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ')}`;
}
