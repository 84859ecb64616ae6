import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OAuthStatePurpose, OAuthStateStore } from '@agent-bot/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The `state` of a redirect flow (OAuth sign-in, app manifest): 256 random bits from crypto,
 * bound to this browser by a signed httpOnly cookie, recorded server-side for single use, and
 * expiring after 10 minutes. The cookie also carries the PKCE S256 challenge, so a verifier that
 * does not match it is refused before anything is sent to GitHub.
 */

export const FLOW_TTL_MS = 10 * 60_000;

export interface FlowCookie {
  name: string;
  path: string;
}

export const OAUTH_COOKIE: FlowCookie = { name: 'agentbot_oauth_state', path: '/oauth/github' };
export const SETUP_COOKIE: FlowCookie = { name: 'agentbot_setup_state', path: '/setup' };

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export async function beginFlow(
  reply: FastifyReply,
  input: { states: OAuthStateStore; purpose: OAuthStatePurpose; cookie: FlowCookie; redirectUrl: string; secure: boolean },
): Promise<{ state: string; codeChallenge: string }> {
  const state = randomBytes(32).toString('base64url');
  const codeVerifier = randomBytes(48).toString('base64url');
  const codeChallenge = s256(codeVerifier);
  await input.states.create({ state, purpose: input.purpose, codeVerifier, redirectUrl: input.redirectUrl, ttlMs: FLOW_TTL_MS });
  reply.setCookie(input.cookie.name, `${state}.${codeChallenge}`, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: input.secure,
    path: input.cookie.path,
    maxAge: FLOW_TTL_MS / 1000,
  });
  return { state, codeChallenge };
}

export type FlowCheck = { ok: true; codeVerifier: string; redirectUrl: string } | { ok: false; code: string; message: string };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks a callback's state against the cookie and the server record; consumes it when they agree. */
export async function checkFlow(
  request: FastifyRequest,
  reply: FastifyReply,
  input: { states: OAuthStateStore; purpose: OAuthStatePurpose; cookie: FlowCookie; state: string | undefined },
): Promise<FlowCheck> {
  const raw = request.cookies[input.cookie.name];
  // Whatever happens next, this browser's flow is over.
  reply.clearCookie(input.cookie.name, { path: input.cookie.path });
  if (!input.state) return { ok: false, code: 'OAUTH_STATE_MISSING', message: 'the callback carries no state' };
  if (!raw)
    return {
      ok: false,
      code: 'OAUTH_STATE_MISSING',
      message: 'no sign-in is in progress in this browser (state cookie missing)',
    };
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value)
    return { ok: false, code: 'OAUTH_STATE_MISMATCH', message: 'the state cookie is not ours' };
  const [cookieState = '', challenge = ''] = unsigned.value.split('.');
  if (!same(cookieState, input.state)) {
    return { ok: false, code: 'OAUTH_STATE_MISMATCH', message: 'the state does not belong to this browser' };
  }
  const consumed = await input.states.consume(input.state, input.purpose);
  switch (consumed.kind) {
    case 'ok':
      break;
    case 'used':
      return { ok: false, code: 'OAUTH_STATE_REUSED', message: 'this sign-in link was already used; start again' };
    case 'expired':
      return { ok: false, code: 'OAUTH_STATE_EXPIRED', message: 'the sign-in took longer than 10 minutes; start again' };
    case 'unknown':
    case 'wrong-purpose':
      return { ok: false, code: 'OAUTH_STATE_UNKNOWN', message: 'the state is not one we issued' };
    default: {
      const unreachable: never = consumed;
      return unreachable;
    }
  }
  if (!same(s256(consumed.codeVerifier), challenge)) {
    return { ok: false, code: 'OAUTH_PKCE_MISMATCH', message: 'the PKCE verifier does not match the challenge sent to GitHub' };
  }
  return { ok: true, codeVerifier: consumed.codeVerifier, redirectUrl: consumed.redirectUrl };
}
