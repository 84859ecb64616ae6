import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TEST_ADMIN_TOKEN } from './test-gateway.js';

/** `name=value` of every cookie a response sets (attributes dropped), keyed by name. */
export function cookiesOf(response: LightMyRequestResponse): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const header of [response.headers['set-cookie'] ?? []].flat()) {
    const pair = header.split(';')[0] ?? '';
    const name = pair.slice(0, pair.indexOf('='));
    if (pair.slice(name.length + 1) !== '') cookies[name] = pair;
  }
  return cookies;
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Runs the manifest flow like a browser: /setup, the form post to GitHub, the callback. */
export async function runManifestFlow(app: FastifyInstance) {
  const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const setup = await app.inject({ method: 'GET', url: '/setup', headers: admin });
  const action = unescapeHtml(/<form method="post" action="([^"]+)"/.exec(setup.body)?.[1] ?? '');
  const manifest = unescapeHtml(/name="manifest" value="([^"]+)"/.exec(setup.body)?.[1] ?? '');
  const cookie = cookiesOf(setup).agentbot_setup_state ?? '';
  const posted = await fetch(action, { method: 'POST', body: new URLSearchParams({ manifest }), redirect: 'manual' });
  const back = new URL(posted.headers.get('location') ?? '');
  const callback = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { ...admin, cookie } });
  return { setup, action, manifest: JSON.parse(manifest) as Record<string, unknown>, callback };
}

/** Starts sign-in and lets the stand-in approve it; returns the callback URL and the state cookie. */
export async function approveSignIn(app: FastifyInstance, options: { tamperChallenge?: boolean } = {}) {
  const authorize = await app.inject({ method: 'GET', url: '/oauth/github/authorize' });
  const location = new URL(authorize.headers.location as string);
  if (options.tamperChallenge) location.searchParams.set('code_challenge', 'A'.repeat(43));
  const approved = await fetch(location, { redirect: 'manual' });
  const back = new URL(approved.headers.get('location') ?? '');
  return {
    authorize,
    authorizeUrl: location,
    callbackUrl: `${back.pathname}${back.search}`,
    code: back.searchParams.get('code') ?? '',
    state: back.searchParams.get('state') ?? '',
    cookie: cookiesOf(authorize).agentbot_oauth_state ?? '',
  };
}
