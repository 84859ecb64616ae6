import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined when the body is empty or not JSON). */
  body: unknown;
  /** Where this request departs from the provider's documented API shape; empty when it conforms. */
  problems: string[];
}

export interface StandInResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ProviderStandIn {
  url: string;
  requests: RecordedApiRequest[];
  /** Every shape problem of every request, prefixed with its method and path. */
  problems(): string[];
  /** The next matching request gets this response instead (after being recorded and checked). */
  respondNext(response: StandInResponse): void;
  close(): Promise<void>;
}

export interface Route {
  method: string;
  /** Matched against the path; groups are handed to the handler. */
  pattern: RegExp;
  /**
   * Checks the request (push to `problems`) and answers as the provider would. With `dryRun` (a
   * scripted response replaces the answer) it only checks: nothing is stored.
   */
  handle(request: RecordedApiRequest, params: string[], dryRun: boolean): StandInResponse;
}

/**
 * A recording HTTP server for one provider API. Requests to no documented route are problems and
 * get a 404, so a wrong path or method fails the test that made it.
 */
export async function startProviderStandIn(name: string, routes: Route[]): Promise<ProviderStandIn> {
  const requests: RecordedApiRequest[] = [];
  const overrides: StandInResponse[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const raw = await readBody(req);
    const request: RecordedApiRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseJson(raw),
      problems: [],
    };
    requests.push(request);
    if (raw.length > 0 && request.body === undefined) request.problems.push('body is not JSON');
    const override = overrides.shift();
    let response: StandInResponse = { status: 404, body: { error: `${name} stand-in: no route` } };
    const route = routes.find((r) => r.method === request.method && r.pattern.test(request.path));
    if (route) {
      const params = (route.pattern.exec(request.path) ?? []).slice(1).map((p) => decodeURIComponent(p ?? ''));
      response = route.handle(request, params, override !== undefined);
    } else {
      request.problems.push(`no documented ${name} endpoint ${request.method} ${request.path}`);
    }
    if (override) response = override;
    const isText = typeof response.body === 'string';
    res.writeHead(response.status, {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      ...response.headers,
    });
    res.end(response.body === undefined ? '' : isText ? response.body : JSON.stringify(response.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems: () => requests.flatMap((r) => r.problems.map((p) => `${r.method} ${r.path}: ${p}`)),
    respondNext: (response) => overrides.push(response),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function header(request: RecordedApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Shape check shared by the JSON APIs: a JSON content type on a request with a body. */
export function expectJsonContentType(request: RecordedApiRequest): void {
  const type = header(request, 'content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) request.problems.push(`content-type must be application/json, got "${type}"`);
}

export function requireString(request: RecordedApiRequest, body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    request.problems.push(`"${field}" is required (a non-empty string)`);
    return undefined;
  }
  return value;
}

export function bodyObject(request: RecordedApiRequest): Record<string, unknown> {
  if (request.body && typeof request.body === 'object' && !Array.isArray(request.body))
    return request.body as Record<string, unknown>;
  request.problems.push('body must be a JSON object');
  return {};
}
