import { randomBytes } from 'node:crypto';
import { s256 } from './state.js';
import { type HandlerContext, type HandlerResult, json } from './types.js';

/**
 * The browser-facing and OAuth endpoints, which are not part of the REST description, so they
 * validate their input by hand. `violations` collects protocol mistakes (a missing client_id),
 * while a wrong code or verifier is answered the way GitHub does (200 with an `error` field).
 */

export interface WebResult extends HandlerResult {
  violations: string[];
}

function redirect(location: string): WebResult {
  return { status: 302, headers: { location }, violations: [] };
}

function oauthError(error: string, description: string): WebResult {
  return { ...json(200, { error, error_description: description }), violations: [] };
}

/** GET /login/oauth/authorize: the user (set with signInAs) approves at once. */
export function authorize(ctx: HandlerContext, signedInUserId: number | undefined): WebResult {
  const q = ctx.query;
  const violations: string[] = [];
  const clientId = q.get('client_id');
  if (!clientId) violations.push('oauth authorize: client_id is required');
  const app = clientId ? ctx.state.appByClientId(clientId) : undefined;
  const redirectUri = q.get('redirect_uri') ?? undefined;
  const challenge = q.get('code_challenge') ?? undefined;
  const method = q.get('code_challenge_method') ?? undefined;
  if (challenge && method !== 'S256')
    violations.push(`oauth authorize: code_challenge_method must be S256, got ${String(method)}`);
  if (!q.get('state')) violations.push('oauth authorize: state is missing (CSRF protection)');
  if (violations.length > 0 || !app || signedInUserId === undefined) {
    return { ...json(violations.length ? 422 : 404, { message: 'bad authorize request' }), violations };
  }
  const code = randomBytes(10).toString('hex');
  ctx.state.oauthCodes.set(code, {
    code,
    clientId: app.clientId,
    userId: signedInUserId,
    redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: method,
    expiresAt: ctx.now + 10 * 60_000,
  });
  const target = new URL(redirectUri ?? String(app.manifest?.callback_urls ?? ''));
  target.searchParams.set('code', code);
  target.searchParams.set('state', q.get('state') ?? '');
  return redirect(target.toString());
}

/** POST /login/oauth/access_token: code exchange (with PKCE) or refresh. */
export async function accessToken(ctx: HandlerContext): Promise<WebResult> {
  const body = ctx.body;
  const violations: string[] = [];
  for (const name of ['client_id', 'client_secret']) {
    if (typeof body[name] !== 'string' || body[name] === '') violations.push(`oauth access_token: ${name} is required`);
  }
  const grantType = body.grant_type ?? 'authorization_code';
  if (grantType === 'authorization_code' && typeof body.code !== 'string')
    violations.push('oauth access_token: code is required');
  if (grantType === 'refresh_token' && typeof body.refresh_token !== 'string')
    violations.push('oauth access_token: refresh_token is required');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token')
    violations.push(`oauth access_token: unknown grant_type ${String(grantType)}`);
  if (violations.length > 0) return { ...json(422, { message: 'bad token request' }), violations };

  if (ctx.options.tokenExchangeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.options.tokenExchangeDelayMs));
  const app = ctx.state.appByClientId(String(body.client_id));
  if (!app || app.clientSecret !== body.client_secret)
    return oauthError('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
  const now = Date.now();

  if (grantType === 'refresh_token') {
    const grant = ctx.state.userGrants.find((g) => g.clientId === app.clientId && g.refreshToken.token === body.refresh_token);
    // A refresh token works once: it is replaced by the new pair.
    if (!grant || grant.refreshToken.expiresAt < now)
      return oauthError('bad_refresh_token', 'The refresh token passed is incorrect or expired.');
    const index = ctx.state.userGrants.indexOf(grant);
    ctx.state.userGrants.splice(index, 1);
    return tokenResponse(
      ctx,
      ctx.state.grant(grant.userId, app.clientId, ctx.options.userTokenTtlMs, ctx.options.refreshTokenTtlMs, now),
    );
  }

  const pending = ctx.state.oauthCodes.get(String(body.code));
  ctx.state.oauthCodes.delete(String(body.code));
  if (!pending || pending.clientId !== app.clientId || pending.expiresAt < now) {
    return oauthError('bad_verification_code', 'The code passed is incorrect or expired.');
  }
  if (pending.redirectUri && body.redirect_uri !== undefined && body.redirect_uri !== pending.redirectUri) {
    return oauthError('redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL for this application.');
  }
  if (pending.codeChallenge) {
    if (typeof body.code_verifier !== 'string' || s256(body.code_verifier) !== pending.codeChallenge) {
      return oauthError('bad_verification_code', 'The code_verifier does not match the code_challenge.');
    }
  }
  return tokenResponse(
    ctx,
    ctx.state.grant(pending.userId, app.clientId, ctx.options.userTokenTtlMs, ctx.options.refreshTokenTtlMs, now),
  );
}

function tokenResponse(ctx: HandlerContext, grant: ReturnType<HandlerContext['state']['grant']>): WebResult {
  return {
    ...json(200, {
      access_token: grant.accessToken.token,
      token_type: 'bearer',
      scope: '',
      expires_in: Math.round(ctx.options.userTokenTtlMs / 1000),
      refresh_token: grant.refreshToken.token,
      refresh_token_expires_in: Math.round(ctx.options.refreshTokenTtlMs / 1000),
    }),
    violations: [],
  };
}

/** POST /settings/apps/new (and the organization variant): the manifest form, answered with a code. */
export function newAppFromManifest(ctx: HandlerContext): WebResult {
  const violations: string[] = [];
  let manifest: Record<string, unknown> = {};
  try {
    manifest = JSON.parse(String(ctx.body.manifest ?? '')) as Record<string, unknown>;
  } catch {
    violations.push('app manifest: the "manifest" form field must be JSON');
  }
  for (const name of ['url', 'redirect_url']) {
    if (manifest[name] === undefined) violations.push(`app manifest: "${name}" is required`);
  }
  const hook = manifest.hook_attributes as { url?: unknown } | undefined;
  if (hook !== undefined && typeof hook.url !== 'string') violations.push('app manifest: hook_attributes.url is required');
  if (violations.length > 0) return { ...json(422, { message: 'bad manifest' }), violations };
  const code = randomBytes(10).toString('hex');
  ctx.state.manifestCodes.set(code, { manifest, expiresAt: ctx.now + 60 * 60_000 });
  const target = new URL(String(manifest.redirect_url));
  target.searchParams.set('code', code);
  const state = ctx.query.get('state');
  if (state) target.searchParams.set('state', state);
  return redirect(target.toString());
}
