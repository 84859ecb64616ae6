import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from '../free-port.js';
import { jwtProblem } from './jwt.js';
import { type OpenApiDescription, openApiChecker } from './openapi-checker.js';
import { type ResponseHold, ResponseHolds } from './response-holds.js';
import { restHandlers } from './rest-handlers.js';
import { StandInState } from './state.js';
import type { Caller, HandlerContext, HandlerResult, StandInTuning } from './types.js';
import { accessToken, authorize, newAppFromManifest } from './web-handlers.js';

/** One request the stand-in received, with what the REST description check found. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** operationId from the REST description, or a name for the hand-validated web endpoints. */
  operation: string | undefined;
  status: number;
  violations: string[];
}

export interface GitHubStandInOptions {
  /** Which REST description requests are checked against (default api.github.com). */
  description?: OpenApiDescription;
  /** '/api/v3' to look like GitHub Enterprise Server; '' (default) for github.com-style paths. */
  apiPrefix?: string;
  tuning?: Partial<StandInTuning>;
}

export interface GitHubStandIn {
  /** Browser-facing root (OAuth authorize, app manifest form). */
  webUrl: string;
  /** What GITHUB_API_URL should be set to. */
  apiUrl: string;
  state: StandInState;
  tuning: StandInTuning;
  requests: RecordedRequest[];
  /** Every violation recorded so far, prefixed with its request; tests assert this is empty. */
  violations(): string[];
  /** Requests to one operation (operationId, or 'oauth/access_token', 'oauth/authorize', 'apps/new-from-manifest'). */
  calls(operation: string): RecordedRequest[];
  /** The user who approves the next OAuth authorize request in the "browser". */
  signInAs(userId: number | undefined): void;
  /**
   * Holds the answers to one operation (as `calls` names it): each request is handled at once,
   * so its effect is visible in `state`, but its answer waits for `release()`.
   */
  hold(operation: string): ResponseHold<RecordedRequest>;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<{ raw: string; parsed: unknown }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return { raw, parsed: undefined };
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return { raw, parsed: Object.fromEntries(new URLSearchParams(raw)) };
  try {
    return { raw, parsed: JSON.parse(raw) };
  } catch {
    return { raw, parsed: raw };
  }
}

function callerOf(state: StandInState, header: string | undefined, now: number): Caller {
  if (!header) return { kind: 'none' };
  const [scheme = '', credential = ''] = header.split(' ');
  if (!/^(token|bearer)$/i.test(scheme) || !credential) return { kind: 'invalid', reason: 'unknown authorization scheme' };
  if (credential.split('.').length === 3 && credential.startsWith('eyJ')) {
    let problem = 'no app';
    for (const app of state.apps.values()) {
      problem = jwtProblem(credential, app.publicKey, [String(app.id), app.clientId], Math.floor(now / 1000)) ?? '';
      if (!problem) return { kind: 'app', app };
    }
    return { kind: 'invalid', reason: problem };
  }
  const installationToken = state.installationTokens.get(credential);
  if (installationToken) {
    const installation = state.installations.get(installationToken.installationId);
    if (installation && installationToken.expiresAt > now) return { kind: 'installation', installation };
    return { kind: 'invalid', reason: 'installation token expired' };
  }
  const grant = state.grantByAccessToken(credential, now);
  const user = grant ? state.users.get(grant.userId) : undefined;
  if (grant && user) return { kind: 'user', user, grant };
  return { kind: 'invalid', reason: 'unknown or expired token' };
}

/**
 * Starts a local GitHub on a free port. Every request is recorded and checked against GitHub's REST
 * description; one that matches no operation or misses a required parameter is a violation and is
 * answered 404/422 the way GitHub would.
 */
export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const checker = openApiChecker(options.description ?? 'api.github.com');
  const prefix = options.apiPrefix ?? '';
  const state = new StandInState();
  const tuning: StandInTuning = {
    installationTokenTtlMs: 60 * 60_000,
    userTokenTtlMs: 8 * 60 * 60_000,
    refreshTokenTtlMs: 180 * 24 * 60 * 60_000,
    tokenExchangeDelayMs: 0,
    ...options.tuning,
  };
  const requests: RecordedRequest[] = [];
  const holds = new ResponseHolds<RecordedRequest>();
  let signedInUserId: number | undefined;
  const port = await freePort();
  const webUrl = `http://127.0.0.1:${port}`;
  const apiUrl = `${webUrl}${prefix}`;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', webUrl);
    const method = (request.method ?? 'GET').toUpperCase();
    const { parsed } = await readBody(request);
    const now = Date.now();
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body: parsed,
      operation: undefined,
      status: 0,
      violations: [],
    };
    requests.push(record);
    const ctx: HandlerContext = {
      state,
      now,
      pathParams: {},
      query: url.searchParams,
      body: parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {},
      caller: callerOf(state, request.headers.authorization, now),
      webUrl,
      apiUrl,
      options: tuning,
    };

    let result: HandlerResult;
    if (method === 'GET' && url.pathname === '/login/oauth/authorize') {
      record.operation = 'oauth/authorize';
      const web = authorize(ctx, signedInUserId);
      record.violations.push(...web.violations);
      result = web;
    } else if (method === 'POST' && url.pathname === '/login/oauth/access_token') {
      record.operation = 'oauth/access_token';
      const web = await accessToken(ctx);
      record.violations.push(...web.violations);
      result = web;
    } else if (method === 'POST' && /^\/(organizations\/[^/]+\/)?settings\/apps\/new$/.test(url.pathname)) {
      record.operation = 'apps/new-from-manifest';
      const web = newAppFromManifest(ctx);
      record.violations.push(...web.violations);
      result = web;
    } else if (!url.pathname.startsWith(prefix)) {
      record.violations.push(`${method} ${url.pathname} is outside the API prefix ${prefix}`);
      result = { status: 404, body: { message: 'Not Found' } };
    } else {
      const path = url.pathname.slice(prefix.length) || '/';
      const check = checker.check({
        method,
        path,
        query: url.searchParams,
        body: parsed,
        contentType: request.headers['content-type'],
      });
      record.operation = check.match?.operationId;
      record.violations.push(...check.violations);
      const handler = check.match ? restHandlers[check.match.operationId] : undefined;
      if (!check.match) {
        result = { status: 404, body: { message: 'Not Found' } };
      } else if (check.violations.length > 0) {
        result = { status: 422, body: { message: 'Validation Failed', errors: check.violations } };
      } else if (!handler) {
        record.violations.push(`${check.match.operationId} is valid but not implemented by the stand-in`);
        result = { status: 501, body: { message: `stand-in does not implement ${check.match.operationId}` } };
      } else if (ctx.caller.kind === 'invalid') {
        result = { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
      } else {
        ctx.pathParams = check.match.pathParams;
        result = await handler(ctx);
      }
    }
    record.status = result.status;
    await holds.wait(record.operation, record);
    response.writeHead(result.status, {
      ...(result.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(now / 1000) + 3600),
      ...result.headers,
    });
    response.end(result.body !== undefined ? JSON.stringify(result.body) : undefined);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        query: {},
        headers: request.headers,
        body: undefined,
        operation: undefined,
        status: 500,
        violations: [`stand-in crashed: ${(error as Error).message}`],
      });
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'stand-in error' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    webUrl,
    apiUrl,
    state,
    tuning,
    requests,
    violations: () => requests.flatMap((r) => r.violations.map((v) => `${r.method} ${r.path}: ${v}`)),
    calls: (operation) => requests.filter((r) => r.operation === operation),
    signInAs(userId) {
      signedInUserId = userId;
    },
    hold: (operation) => holds.hold(operation),
    close: () =>
      new Promise<void>((resolve, reject) => {
        holds.releaseAll();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
