import { createHash } from 'node:crypto';
import { isFormContentType, parseJsonBody } from '../parse-body.js';
import { type NormaliseOutcome, type WebhookProviderAdapter, deliveryIdMissing, ignored } from '../provider.js';
import { sanitizeUntrustedText } from '../sanitize.js';
import { kindFromText } from '../task-kind.js';
import { createSlackVerifier } from './verify-slack.js';

interface SlackEvent {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  channel?: string;
  ts?: string;
  thread_ts?: string;
}

interface SlackPayload {
  type?: string;
  challenge?: string;
  event_id?: string;
  team_id?: string;
  event?: SlackEvent;
  // Slash command form fields.
  command?: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  response_url?: string;
  trigger_id?: string;
  /** Interactive components post `payload=<json>`. */
  payload?: string;
}

/** `<@U123ABC>` and `<@U123|name>` are how Slack writes mentions. */
const USER_MENTION = /<@[A-Z0-9]+(?:\|[^>]*)?>/g;

function slashCommand(payload: SlackPayload): NormaliseOutcome {
  const text = sanitizeUntrustedText(payload.text ?? '');
  if (!text) return ignored('slash command without text');
  return {
    kind: 'task',
    request: {
      kind: kindFromText(text, null, 'answer'),
      priority: 'P1',
      source: 'slack',
      prompt: text,
      title: text.slice(0, 120),
      requestedBy: payload.user_name ?? payload.user_id,
      context: {
        provider: 'slack',
        event: 'slash_command',
        command: payload.command,
        teamId: payload.team_id,
        channel: payload.channel_id,
        user: payload.user_id,
        responseUrl: payload.response_url,
      },
    },
  };
}

function appMention(payload: SlackPayload, event: SlackEvent): NormaliseOutcome {
  if (event.bot_id || event.subtype === 'bot_message') return ignored(`bot author: ${event.bot_id ?? 'bot_message'}`);
  const text = sanitizeUntrustedText((event.text ?? '').replace(USER_MENTION, ' ').replace(/\s+/g, ' '));
  if (!text) return ignored('mention without a request');
  return {
    kind: 'task',
    request: {
      kind: kindFromText(text, null, 'answer'),
      priority: 'P1',
      source: 'slack',
      prompt: text,
      title: text.slice(0, 120),
      requestedBy: event.user,
      context: {
        provider: 'slack',
        event: 'app_mention',
        teamId: payload.team_id,
        channel: event.channel,
        // Replies go into the thread the mention started or belongs to.
        threadTs: event.thread_ts ?? event.ts,
        messageTs: event.ts,
        user: event.user,
      },
    },
  };
}

export function createSlackAdapter(options: { secret: string | undefined }): WebhookProviderAdapter {
  return {
    name: 'slack',
    bodyLimit: 1024 * 1024,
    // Events API posts JSON; slash commands and interactivity post forms.
    contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
    storedHeaders: ['content-type', 'x-slack-retry-num', 'x-slack-retry-reason', 'user-agent'],
    verify: createSlackVerifier(options.secret),

    parse(body, headers) {
      if (!isFormContentType(headers['content-type'])) return parseJsonBody(body);
      return { ok: true, payload: Object.fromEntries(new URLSearchParams(body)) };
    },

    identify({ payload }, raw) {
      const p = payload as SlackPayload;
      if (p.type === 'url_verification') return { kind: 'immediate', status: 200, body: { challenge: p.challenge ?? '' } };
      if (p.type === 'event_callback') {
        if (!p.event_id) return deliveryIdMissing('event_id');
        // Retries (X-Slack-Retry-Num) carry the same event_id, so they dedupe here.
        return { kind: 'delivery', deliveryId: p.event_id, event: p.event?.type ?? 'unknown', action: p.event?.subtype ?? null };
      }
      if (p.command) {
        const id = p.trigger_id ?? createHash('sha256').update(raw).digest('hex');
        return { kind: 'delivery', deliveryId: id, event: 'slash_command', action: p.command.slice(0, 100) };
      }
      const id = createHash('sha256').update(raw).digest('hex');
      return { kind: 'delivery', deliveryId: id, event: p.payload ? 'interactive' : (p.type ?? 'unknown'), action: null };
    },

    async normalise({ payload }, delivery) {
      const p = payload as SlackPayload;
      if (delivery.event === 'slash_command') return slashCommand(p);
      if (p.type === 'event_callback' && p.event?.type === 'app_mention') return appMention(p, p.event);
      return ignored(`event not handled: ${delivery.event}`);
    },

    acknowledgement({ payload }, result) {
      if (!(payload as SlackPayload).command) return undefined;
      // Slack shows a slash command's response to the user who typed it.
      const text =
        result.status === 'enqueued' || result.status === 'received'
          ? 'On it — I will reply here when I am done.'
          : 'Nothing to do: add a request after the command.';
      return { response_type: 'ephemeral', text };
    },
  };
}
