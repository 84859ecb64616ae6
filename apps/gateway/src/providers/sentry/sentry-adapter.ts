import type { Priority } from '@agent-bot/contracts';
import { parseJsonBody } from '../parse-body.js';
import {
  type NormaliseOutcome,
  type VerifyResult,
  type WebhookProviderAdapter,
  headerValue,
  ignored,
  reject,
  deliveryIdMissing,
  isUsableDeliveryId,
} from '../provider.js';
import { sanitizeUntrustedText } from '../sanitize.js';
import { hmacSha256Matches, isHexSha256 } from '../signatures.js';

interface SentryIssue {
  id?: string | number;
  shortId?: string;
  title?: string;
  culprit?: string;
  level?: string;
  web_url?: string;
  permalink?: string;
  project?: { slug?: string; name?: string };
}

interface SentryPayload {
  action?: string;
  data?: {
    issue?: SentryIssue;
    event?: { issue_id?: string | number; title?: string; culprit?: string; level?: string; web_url?: string; project?: number };
    triggered_rule?: string;
    metric_alert?: { id?: string | number; title?: string; alert_rule?: { name?: string } };
    description_title?: string;
    web_url?: string;
  };
  installation?: { uuid?: string };
}

/** Sentry-Hook-Signature: hex HMAC-SHA256 of the body with the integration's client secret, no prefix. */
function createSentryVerifier(secret: string | undefined) {
  return ({ raw, headers }: { raw: Buffer; headers: Record<string, string | string[] | undefined> }): VerifyResult => {
    if (!secret) return reject(401, 'WEBHOOK_NOT_CONFIGURED', 'SENTRY_CLIENT_SECRET is not set');
    const signature = headerValue(headers, 'sentry-hook-signature');
    if (!signature) return reject(401, 'SIGNATURE_MISSING', 'Sentry-Hook-Signature is required');
    if (/^[a-z0-9]+=/i.test(signature)) {
      return reject(401, 'SIGNATURE_ALGORITHM_UNSUPPORTED', 'Sentry-Hook-Signature is a bare hex HMAC-SHA256');
    }
    if (!isHexSha256(signature)) return reject(401, 'SIGNATURE_MALFORMED', 'Sentry-Hook-Signature is malformed');
    return hmacSha256Matches(secret, raw, signature)
      ? { ok: true }
      : reject(401, 'SIGNATURE_INVALID', 'signature does not match');
  };
}

function investigate(
  summary: {
    title: string;
    issueId?: string;
    shortId?: string;
    culprit?: string;
    level?: string;
    url?: string;
    project?: string;
  },
  priority: Priority,
  extra: Record<string, unknown>,
): NormaliseOutcome {
  const title = sanitizeUntrustedText(summary.title || 'Sentry issue', 300);
  const lines = [
    `Investigate Sentry ${summary.shortId ?? summary.issueId ?? 'issue'}: ${title}`,
    summary.culprit ? `Culprit: ${sanitizeUntrustedText(summary.culprit, 500)}` : undefined,
    summary.level ? `Level: ${summary.level}` : undefined,
    summary.project ? `Project: ${summary.project}` : undefined,
    summary.url ? `Link: ${summary.url}` : undefined,
  ].filter(Boolean);
  return {
    kind: 'task',
    request: {
      kind: 'investigate',
      priority,
      source: 'sentry',
      prompt: lines.join('\n'),
      title,
      requestedBy: 'sentry',
      context: {
        provider: 'sentry',
        sentryIssueId: summary.issueId,
        shortId: summary.shortId,
        project: summary.project,
        webUrl: summary.url,
        level: summary.level,
        ...extra,
      },
    },
  };
}

export function createSentryAdapter(options: { secret: string | undefined }): WebhookProviderAdapter {
  return {
    name: 'sentry',
    bodyLimit: 1024 * 1024,
    contentTypes: ['application/json'],
    storedHeaders: ['content-type', 'sentry-hook-resource', 'sentry-hook-timestamp', 'request-id'],
    verify: createSentryVerifier(options.secret),
    parse: (body) => parseJsonBody(body),

    identify({ payload, headers }) {
      const deliveryId = headerValue(headers, 'request-id');
      const resource = headerValue(headers, 'sentry-hook-resource');
      if (!isUsableDeliveryId(deliveryId)) return deliveryIdMissing('Request-ID');
      if (!resource || !/^[a-z_]{1,64}$/.test(resource)) {
        return {
          kind: 'rejected',
          rejection: { status: 400, code: 'EVENT_MISSING', message: 'Sentry-Hook-Resource is required' },
        };
      }
      const action = (payload as SentryPayload).action;
      return { kind: 'delivery', deliveryId, event: resource, action: typeof action === 'string' ? action.slice(0, 100) : null };
    },

    async normalise({ payload }, delivery) {
      const p = payload as SentryPayload;
      const key = `${delivery.event}.${delivery.action ?? ''}`;
      if (key === 'issue.created' && p.data?.issue) {
        const issue = p.data.issue;
        return investigate(
          {
            title: issue.title ?? '',
            issueId: issue.id === undefined ? undefined : String(issue.id),
            shortId: issue.shortId,
            culprit: issue.culprit,
            level: issue.level,
            url: issue.web_url ?? issue.permalink,
            project: issue.project?.slug,
          },
          issue.level === 'fatal' ? 'P1' : 'P2',
          { resource: 'issue' },
        );
      }
      if (key === 'event_alert.triggered' && p.data?.event) {
        const event = p.data.event;
        return investigate(
          {
            title: event.title ?? p.data.triggered_rule ?? '',
            issueId: event.issue_id === undefined ? undefined : String(event.issue_id),
            culprit: event.culprit,
            level: event.level,
            url: event.web_url,
          },
          'P1',
          { resource: 'event_alert', rule: p.data.triggered_rule },
        );
      }
      if (key === 'metric_alert.critical' && p.data?.metric_alert) {
        return investigate(
          { title: p.data.description_title ?? p.data.metric_alert.alert_rule?.name ?? 'metric alert', url: p.data.web_url },
          'P0',
          { resource: 'metric_alert', metricAlertId: p.data.metric_alert.id },
        );
      }
      return ignored(`event not handled: ${key}`);
    },
  };
}
