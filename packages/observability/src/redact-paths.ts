/**
 * Paths pino removes from every log line. Secrets reach logs through request headers, query strings
 * (OAuth `code` and `state`), configuration objects and errors that carry a request; each shape is
 * listed because pino's wildcards match exactly one level.
 */
export const REDACT_PATHS = [
  'authorization',
  'cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-slack-signature"]',
  'req.headers["sentry-hook-signature"]',
  'req.query.code',
  'req.query.state',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.request.headers.authorization',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'webhookSecret',
  '*.webhookSecret',
  'privateKey',
  '*.privateKey',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'adminToken',
  '*.adminToken',
  'encryptionKey',
  '*.encryptionKey',
  'oauthCode',
  '*.oauthCode',
];

/** Query parameters whose values never appear in a logged URL. */
export const SENSITIVE_QUERY_PARAMS = ['code', 'state', 'token', 'access_token', 'refresh_token', 'client_secret'];

/** Replaces sensitive query values in a URL or path so it can be logged. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const name of [...params.keys()]) {
    if (SENSITIVE_QUERY_PARAMS.includes(name.toLowerCase())) params.set(name, '[Redacted]');
  }
  return `${url.slice(0, queryStart)}?${params.toString()}`;
}

const TOKEN_PATTERNS = [
  /\bgh[pousr]_[A-Za-z0-9]{20,255}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,255}\b/g,
  /\bsk-ant-[A-Za-z0-9_-]{10,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
];

/** Replaces GitHub, Anthropic and Slack tokens found anywhere in free text. */
export function redactTokens(text: string): string {
  let result = text;
  for (const pattern of TOKEN_PATTERNS) result = result.replace(pattern, '[REDACTED_TOKEN]');
  return result;
}
