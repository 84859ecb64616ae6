import { Webhooks } from '@octokit/webhooks';
import { type VerifyResult, type WebhookHeaders, type WebhookSecretSource, headerValue, reject } from '../provider.js';

const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;

/**
 * X-Hub-Signature-256 checked by @octokit/webhooks (HMAC-SHA256, timingSafeEqual) over the exact
 * bytes received. The SHA-1 X-Hub-Signature alone is not accepted.
 */
export function createGitHubVerifier(secret: WebhookSecretSource) {
  let cached: { secret: string; webhooks: Webhooks } | undefined;
  return async ({ raw, headers }: { raw: Buffer; headers: WebhookHeaders }): Promise<VerifyResult> => {
    // A manifest-created app's secret lives in the database and may appear after startup.
    const current = typeof secret === 'function' ? await secret() : secret;
    if (!current) return reject(401, 'WEBHOOK_NOT_CONFIGURED', 'GITHUB_WEBHOOK_SECRET is not set and no GitHub App exists');
    if (cached?.secret !== current) cached = { secret: current, webhooks: new Webhooks({ secret: current }) };
    const webhooks = cached.webhooks;
    const signature = headerValue(headers, 'x-hub-signature-256');
    if (!signature) return reject(401, 'SIGNATURE_MISSING', 'X-Hub-Signature-256 is required');
    if (!signature.startsWith('sha256=')) {
      return reject(401, 'SIGNATURE_ALGORITHM_UNSUPPORTED', 'X-Hub-Signature-256 must start with sha256=');
    }
    if (!SIGNATURE_FORMAT.test(signature)) return reject(401, 'SIGNATURE_MALFORMED', 'X-Hub-Signature-256 is malformed');
    const valid = await webhooks.verify(raw.toString('utf8'), signature);
    return valid ? { ok: true } : reject(401, 'SIGNATURE_INVALID', 'signature does not match');
  };
}
