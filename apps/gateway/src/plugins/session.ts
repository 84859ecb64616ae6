import fastifyCookie from '@fastify/cookie';
import type { Principal, SessionStore } from '@agent-bot/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { bearerToken, safeEqual } from './admin-auth.js';

export const SESSION_COOKIE = 'agentbot_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: from the session cookie or an admin bearer token; null when anonymous. */
    principal: Principal | null;
  }
  interface FastifyReply {
    /** Creates a session for `principal` and sets the httpOnly session cookie. */
    startSession(principal: Principal): Promise<void>;
    /** Revokes the current session (if any) and clears the cookie. */
    endSession(): Promise<void>;
  }
}

export interface SessionPluginOptions {
  sessions: SessionStore;
  adminToken: string | undefined;
  /** Signs cookies that must not be forged (the OAuth state cookie). */
  cookieSecret: Buffer;
  ttlMs: number;
  /** Secure cookies when the gateway is reached over https. */
  secureCookies: boolean;
}

export const ADMIN_PRINCIPAL: Principal = { kind: 'admin', id: 'admin', login: 'admin' };

/**
 * One place that answers "who is this?" for every route and the WebSocket: a session cookie, or
 * `Authorization: Bearer <ADMIN_TOKEN>` for scripts and the CLI.
 */
export const sessionPlugin = fp(
  async (app: FastifyInstance, options: SessionPluginOptions) => {
    await app.register(fastifyCookie, { secret: options.cookieSecret.toString('base64') });
    app.decorateRequest('principal', null);

    app.addHook('onRequest', async (request) => {
      const bearer = bearerToken(request);
      if (bearer !== undefined && options.adminToken && safeEqual(bearer, options.adminToken)) {
        request.principal = ADMIN_PRINCIPAL;
        return;
      }
      const token = request.cookies[SESSION_COOKIE];
      if (token) request.principal = await options.sessions.resolve(token);
    });

    app.decorateReply('startSession', async function startSession(this: FastifyReply, principal: Principal) {
      const { token, expiresAt } = await options.sessions.create(principal, options.ttlMs);
      this.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        path: '/',
        expires: expiresAt,
      });
    });

    app.decorateReply('endSession', async function endSession(this: FastifyReply) {
      const token = this.request.cookies[SESSION_COOKIE];
      if (token) await options.sessions.revoke(token);
      this.clearCookie(SESSION_COOKIE, { path: '/' });
    });
  },
  { name: 'agent-bot-session' },
);

/** preHandler: any signed-in principal. */
export async function requireSession(request: FastifyRequest, reply: FastifyReply) {
  if (!request.principal) {
    return reply.status(401).send({ error: { code: 'UNAUTHORIZED', message: 'sign in first (admin token or GitHub)' } });
  }
  return undefined;
}

/** preHandler: operators only (admin session or admin bearer token). */
export async function requireAdminPrincipal(request: FastifyRequest, reply: FastifyReply) {
  if (!request.principal) {
    return reply.status(401).send({ error: { code: 'UNAUTHORIZED', message: 'sign in first (admin token or GitHub)' } });
  }
  if (request.principal.kind !== 'admin') {
    return reply.status(403).send({ error: { code: 'FORBIDDEN', message: 'operators only' } });
  }
  return undefined;
}
