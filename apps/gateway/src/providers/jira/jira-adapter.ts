import type { Priority, TaskKind } from '@agent-bot/contracts';
import { mentionPattern, mentionsHandle } from '../mentions.js';
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
import { hmacSha256Matches } from '../signatures.js';
import { kindFromText } from '../task-kind.js';

interface JiraUser {
  accountId?: string;
  name?: string;
  displayName?: string;
  accountType?: string;
}

interface JiraIssue {
  id?: string;
  key?: string;
  self?: string;
  fields?: { summary?: string; description?: string | null; assignee?: JiraUser | null; priority?: { name?: string } | null };
}

interface JiraPayload {
  webhookEvent?: string;
  issue_event_type_name?: string;
  user?: JiraUser;
  issue?: JiraIssue;
  comment?: { id?: string; body?: string; author?: JiraUser; self?: string };
  changelog?: { items?: Array<{ field?: string; to?: string | null; toString?: string | null }> };
}

const JIRA_PRIORITIES: Record<string, Priority> = { highest: 'P0', high: 'P1', medium: 'P2', low: 'P3', lowest: 'P3' };

/** Admin webhooks with a secret send `X-Hub-Signature: sha256=<hex HMAC of the body>`. */
function createJiraVerifier(secret: string | undefined) {
  return ({ raw, headers }: { raw: Buffer; headers: Record<string, string | string[] | undefined> }): VerifyResult => {
    if (!secret) return reject(401, 'WEBHOOK_NOT_CONFIGURED', 'JIRA_WEBHOOK_SECRET is not set');
    const signature = headerValue(headers, 'x-hub-signature');
    if (!signature) return reject(401, 'SIGNATURE_MISSING', 'X-Hub-Signature is required');
    const separator = signature.indexOf('=');
    if (separator === -1) return reject(401, 'SIGNATURE_MALFORMED', 'X-Hub-Signature must be sha256=<hex>');
    if (signature.slice(0, separator).toLowerCase() !== 'sha256') {
      return reject(401, 'SIGNATURE_ALGORITHM_UNSUPPORTED', 'X-Hub-Signature must use sha256');
    }
    const hex = signature.slice(separator + 1);
    if (!/^[0-9a-f]{64}$/i.test(hex)) return reject(401, 'SIGNATURE_MALFORMED', 'X-Hub-Signature is malformed');
    return hmacSha256Matches(secret, raw, hex) ? { ok: true } : reject(401, 'SIGNATURE_INVALID', 'signature does not match');
  };
}

function isBot(user: JiraUser | undefined, handle: string): string | null {
  if (!user) return null;
  const names = [user.name, user.displayName, user.accountId].filter(Boolean).map((n) => String(n).toLowerCase());
  if (names.includes(handle)) return 'own comment: authored by the bot itself';
  if (user.accountType === 'app') return `bot author: ${user.displayName ?? user.accountId ?? 'app'}`;
  return null;
}

function isAssignedToBot(value: string | null | undefined, handle: string): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === handle;
}

function task(
  p: JiraPayload,
  kind: TaskKind,
  text: string,
  requester: JiraUser | undefined,
  extra: Record<string, unknown>,
): NormaliseOutcome {
  const issue = p.issue ?? {};
  const summary = sanitizeUntrustedText(issue.fields?.summary ?? '', 300);
  const priorityName = issue.fields?.priority?.name?.toLowerCase() ?? '';
  return {
    kind: 'task',
    request: {
      kind,
      priority: JIRA_PRIORITIES[priorityName] ?? 'P2',
      source: 'jira',
      prompt: `Jira ${issue.key ?? 'issue'}: ${summary}\n\n${sanitizeUntrustedText(text) || summary}`,
      title: summary || undefined,
      requestedBy: requester?.displayName ?? requester?.accountId,
      context: { provider: 'jira', issueKey: issue.key, issueId: issue.id, issueUrl: issue.self, ...extra },
    },
  };
}

export function createJiraAdapter(options: { secret: string | undefined }): WebhookProviderAdapter {
  return {
    name: 'jira',
    bodyLimit: 1024 * 1024,
    contentTypes: ['application/json'],
    storedHeaders: ['content-type', 'x-atlassian-webhook-identifier', 'x-atlassian-webhook-retry', 'user-agent'],
    verify: createJiraVerifier(options.secret),
    parse: (body) => parseJsonBody(body),

    identify({ payload, headers }) {
      const deliveryId = headerValue(headers, 'x-atlassian-webhook-identifier');
      if (!isUsableDeliveryId(deliveryId)) return deliveryIdMissing('X-Atlassian-Webhook-Identifier');
      const p = payload as JiraPayload;
      const event = typeof p.webhookEvent === 'string' ? p.webhookEvent.slice(0, 100) : 'unknown';
      const action = typeof p.issue_event_type_name === 'string' ? p.issue_event_type_name.slice(0, 100) : null;
      return { kind: 'delivery', deliveryId, event, action };
    },

    async normalise({ payload }, delivery, context) {
      const p = payload as JiraPayload;
      const handle = context.triggers.botHandle;
      if (delivery.event === 'comment_created' && p.comment) {
        const automated = isBot(p.comment.author, handle);
        if (automated) return ignored(automated);
        const body = p.comment.body ?? '';
        // Jira wiki markup writes a mention as [~name]; plain @handle is accepted too.
        const mentioned = mentionsHandle(body, handle) || body.toLowerCase().includes(`[~${handle}]`);
        if (!mentioned) return ignored(`no trigger: comment does not mention @${handle}`);
        const text = body
          .replace(/\[~[^\]]+\]/g, '')
          .replace(mentionPattern(handle, 'gi'), '')
          .trim();
        return task(p, kindFromText(text, null, 'answer'), text, p.comment.author, {
          commentId: p.comment.id,
          trigger: 'mention',
        });
      }
      if (delivery.event === 'jira:issue_updated' || delivery.event === 'jira:issue_created') {
        const assignedNow =
          delivery.event === 'jira:issue_created'
            ? [
                p.issue?.fields?.assignee?.name,
                p.issue?.fields?.assignee?.displayName,
                p.issue?.fields?.assignee?.accountId,
              ].some((v) => isAssignedToBot(v, handle))
            : (p.changelog?.items ?? []).some(
                (item) =>
                  item.field === 'assignee' && (isAssignedToBot(item.to, handle) || isAssignedToBot(item.toString, handle)),
              );
        if (!assignedNow) return ignored(`no trigger: ${delivery.event} is not an assignment to ${handle}`);
        const automated = isBot(p.user, handle);
        if (automated) return ignored(automated);
        return task(p, 'fix', p.issue?.fields?.description ?? '', p.user, { trigger: 'assignment' });
      }
      return ignored(`event not handled: ${delivery.event}`);
    },
  };
}
