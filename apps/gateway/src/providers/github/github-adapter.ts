import { isFormContentType, parseJsonBody } from '../parse-body.js';
import {
  type WebhookProviderAdapter,
  type WebhookSecretSource,
  deliveryIdMissing,
  headerValue,
  isUsableDeliveryId,
  reject,
} from '../provider.js';
import type { GitHubPayload } from './github-payload.js';
import { normaliseGitHub } from './normalise-github.js';
import { createGitHubVerifier } from './verify-github.js';

/** GitHub sends payloads up to 25 MB. */
export const GITHUB_BODY_LIMIT = 25 * 1024 * 1024;
const EVENT_NAME = /^[a-z0-9_]{1,64}$/;

export function createGitHubAdapter(options: { secret: WebhookSecretSource }): WebhookProviderAdapter {
  return {
    name: 'github',
    bodyLimit: GITHUB_BODY_LIMIT,
    // A webhook configured with content type "application/x-www-form-urlencoded" sends `payload=<json>`.
    contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
    storedHeaders: [
      'content-type',
      'x-github-event',
      'x-github-delivery',
      'x-github-hook-id',
      'x-github-hook-installation-target-id',
      'user-agent',
    ],
    verify: createGitHubVerifier(options.secret),

    parse(body, headers) {
      if (!isFormContentType(headers['content-type'])) return parseJsonBody(body);
      const payload = new URLSearchParams(body).get('payload');
      if (payload === null) return reject(400, 'MALFORMED_BODY', 'form body has no payload field');
      return parseJsonBody(payload);
    },

    identify({ headers, payload }) {
      const deliveryId = headerValue(headers, 'x-github-delivery');
      const event = headerValue(headers, 'x-github-event');
      if (!isUsableDeliveryId(deliveryId)) return deliveryIdMissing('X-GitHub-Delivery');
      if (!event || !EVENT_NAME.test(event)) {
        return { kind: 'rejected', rejection: { status: 400, code: 'EVENT_MISSING', message: 'X-GitHub-Event is required' } };
      }
      const action = (payload as GitHubPayload).action;
      return { kind: 'delivery', deliveryId, event, action: typeof action === 'string' ? action.slice(0, 100) : null };
    },

    normalise({ payload }, delivery, context) {
      return normaliseGitHub(delivery.event, payload as GitHubPayload, context);
    },
  };
}
