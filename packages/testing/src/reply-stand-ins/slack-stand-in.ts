import {
  type ProviderStandIn,
  type RecordedApiRequest,
  bodyObject,
  expectJsonContentType,
  header,
  requireString,
  startProviderStandIn,
} from './stand-in-server.js';

export interface SlackStandIn extends ProviderStandIn {
  /** Posted with chat.postMessage. */
  messages: { channel: string; text: string; threadTs?: string; ts: string }[];
  /** Posted to a response_url (`/commands/...` on this server). */
  responses: { path: string; text: string; responseType?: string }[];
  /** A response_url served by this stand-in, as Slack puts in a slash command. */
  responseUrl(id?: string): string;
}

const TS = /^\d+\.\d+$/;

/**
 * The Slack Web API as agent-bot uses it (https://api.slack.com/methods/chat.postMessage):
 * `POST /api/chat.postMessage` with `Authorization: Bearer <bot token>` and a JSON body
 * (`channel`, `text`, optional `thread_ts`), answering HTTP 200 with `{ok:true,ts}` or
 * `{ok:false,error}`; `GET /api/chat.getPermalink`; and response URLs (`POST /commands/...`, JSON
 * `text`, no token).
 */
export async function startSlackStandIn(options: { token: string; channels: string[] }): Promise<SlackStandIn> {
  const messages: SlackStandIn['messages'] = [];
  const responses: SlackStandIn['responses'] = [];
  let clock = 1_700_000_000;

  /** Slack's own answers for a missing or wrong token. */
  function auth(request: RecordedApiRequest): { ok: false; error: string } | null {
    const value = header(request, 'authorization');
    if (!value) {
      request.problems.push('Authorization: Bearer <token> is required');
      return { ok: false, error: 'not_authed' };
    }
    if (!/^Bearer /.test(value)) request.problems.push('Authorization must use the Bearer scheme');
    return value === `Bearer ${options.token}` ? null : { ok: false, error: 'invalid_auth' };
  }

  const standIn = await startProviderStandIn('Slack', [
    {
      method: 'POST',
      pattern: /^\/api\/chat\.postMessage$/,
      handle(request, _params, dryRun) {
        expectJsonContentType(request);
        const body = bodyObject(request);
        const channel = requireString(request, body, 'channel');
        if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) request.problems.push('"text" or "blocks" is required');
        if (body.thread_ts !== undefined && !(typeof body.thread_ts === 'string' && TS.test(body.thread_ts))) {
          request.problems.push('"thread_ts" must be a message timestamp such as "1700000000.000100"');
        }
        const denied = auth(request);
        if (denied) return { status: 200, body: denied };
        if (!channel) return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
        if (typeof body.text !== 'string' && !Array.isArray(body.blocks))
          return { status: 200, body: { ok: false, error: 'no_text' } };
        if (!options.channels.includes(channel)) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        if (dryRun) return { status: 204 };
        const ts = `${clock++}.000100`;
        const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
        messages.push({ channel, text: String(body.text ?? ''), threadTs, ts });
        return {
          status: 200,
          body: { ok: true, channel, ts, message: { type: 'message', text: body.text, ts, thread_ts: threadTs } },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/chat\.getPermalink$/,
      handle(request) {
        const { channel, message_ts: ts } = request.query;
        if (!channel) request.problems.push('query "channel" is required');
        if (!ts || !TS.test(ts)) request.problems.push('query "message_ts" is required');
        const denied = auth(request);
        if (denied) return { status: 200, body: denied };
        const message = messages.find((m) => m.channel === channel && m.ts === ts);
        if (!message) return { status: 200, body: { ok: false, error: 'message_not_found' } };
        const thread = message.threadTs ? `?thread_ts=${message.threadTs}&cid=${channel}` : '';
        return {
          status: 200,
          body: {
            ok: true,
            channel,
            permalink: `https://example.slack.com/archives/${channel}/p${String(ts).replace('.', '')}${thread}`,
          },
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/commands\/[^/]+\/[^/]+\/[^/]+$/,
      handle(request, _params, dryRun) {
        expectJsonContentType(request);
        // A response URL is its own credential: a bot token sent there is leaked to a webhook.
        if (header(request, 'authorization')) request.problems.push('a response_url takes no Authorization header');
        const body = bodyObject(request);
        const text = requireString(request, body, 'text');
        const responseType = body.response_type;
        if (responseType !== undefined && responseType !== 'in_channel' && responseType !== 'ephemeral') {
          request.problems.push('"response_type" must be in_channel or ephemeral');
        }
        if (dryRun) return { status: 204 };
        responses.push({ path: request.path, text: text ?? '', responseType: responseType as string | undefined });
        return { status: 200, body: 'ok' };
      },
    },
  ]);
  return {
    ...standIn,
    messages,
    responses,
    responseUrl: (id = 'B0001') => `${standIn.url}/commands/T0001/${id}/secretpart`,
  };
}
