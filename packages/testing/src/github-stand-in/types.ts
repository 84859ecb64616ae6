import type { StandInApp, StandInInstallation, StandInState, StandInUser, UserGrant } from './state.js';

/** Who called, from the Authorization header. */
export type Caller =
  | { kind: 'none' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'app'; app: StandInApp }
  | { kind: 'installation'; installation: StandInInstallation }
  | { kind: 'user'; user: StandInUser; grant: UserGrant };

export interface HandlerContext {
  state: StandInState;
  now: number;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  caller: Caller;
  /** Where browsers reach the stand-in (for html_url values). */
  webUrl: string;
  /** The API root (web URL plus any /api/v3 prefix). */
  apiUrl: string;
  options: StandInTuning;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;

/** Knobs tests turn to force expiry paths. */
export interface StandInTuning {
  /** Lifetime of minted installation tokens (GitHub: 1 hour). */
  installationTokenTtlMs: number;
  /** Lifetime of user access tokens (GitHub: 8 hours). */
  userTokenTtlMs: number;
  /** Lifetime of user refresh tokens (GitHub: 6 months). */
  refreshTokenTtlMs: number;
  /** Milliseconds a token exchange waits before answering, to widen race windows in tests. */
  tokenExchangeDelayMs: number;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): HandlerResult {
  return { status, body, ...(headers ? { headers } : {}) };
}

export function notFound(): HandlerResult {
  return json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
}

export function unauthorized(reason = 'Bad credentials'): HandlerResult {
  return json(401, { message: reason, documentation_url: 'https://docs.github.com/rest' });
}
