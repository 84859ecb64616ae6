import { hmacSha256Matches } from '../signatures.js';
import { type VerifyResult, type WebhookHeaders, headerValue, reject } from '../provider.js';

/** Slack refuses replays older than five minutes; a timestamp that far in the future is refused too. */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

/** v0 signature: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret, hex, prefixed `v0=`. */
export function createSlackVerifier(secret: string | undefined) {
  return ({ raw, headers, nowMs }: { raw: Buffer; headers: WebhookHeaders; nowMs: number }): VerifyResult => {
    if (!secret) return reject(401, 'WEBHOOK_NOT_CONFIGURED', 'SLACK_SIGNING_SECRET is not set');
    const signature = headerValue(headers, 'x-slack-signature');
    const timestamp = headerValue(headers, 'x-slack-request-timestamp');
    if (!signature) return reject(401, 'SIGNATURE_MISSING', 'X-Slack-Signature is required');
    if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
      return reject(401, 'TIMESTAMP_MISSING', 'X-Slack-Request-Timestamp is required');
    }
    if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) {
      return reject(401, 'TIMESTAMP_OUT_OF_RANGE', 'X-Slack-Request-Timestamp is more than 5 minutes off');
    }
    if (!signature.startsWith('v0='))
      return reject(401, 'SIGNATURE_ALGORITHM_UNSUPPORTED', 'X-Slack-Signature must start with v0=');
    const base = Buffer.concat([Buffer.from(`v0:${timestamp}:`), raw]);
    return hmacSha256Matches(secret, base, signature.slice(3))
      ? { ok: true }
      : reject(401, 'SIGNATURE_INVALID', 'signature does not match');
  };
}
