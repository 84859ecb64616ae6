import { type Rejection, reject } from './provider.js';

type ParseResult = { ok: true; payload: unknown } | { ok: false; rejection: Rejection };

/** JSON.parse that turns a syntax error into a 400 rejection (a truncated body lands here). */
export function parseJsonBody(body: string): ParseResult {
  try {
    const payload: unknown = JSON.parse(body);
    if (payload === null || typeof payload !== 'object') return reject(400, 'MALFORMED_BODY', 'body must be a JSON object');
    return { ok: true, payload };
  } catch {
    return reject(400, 'MALFORMED_BODY', 'body is not valid JSON');
  }
}

export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}
