import { type LiveEvent, liveChannels } from '@agent-bot/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayDeps } from '../../../deps.js';

/**
 * Server-sent events for one bot's chat: the REST fallback when a browser cannot open the
 * WebSocket. Subscribes first, then replays stored messages after `after`, so nothing falls in the
 * gap between the two; live messages already replayed are skipped by id.
 */
export async function streamChatEvents(
  deps: Pick<GatewayDeps, 'chat' | 'events'>,
  request: FastifyRequest,
  reply: FastifyReply,
  botId: string,
  after: string | undefined,
) {
  const pending: LiveEvent[] = [];
  let replaying = true;
  let lastId = after === undefined ? 0n : BigInt(after);
  const raw = reply.raw;

  const write = (event: LiveEvent) => {
    if (event.kind === 'chat.message') {
      const id = BigInt(event.messageId);
      if (id <= lastId) return;
      lastId = id;
      raw.write(`id: ${event.messageId}\n`);
    }
    raw.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
  };

  const unsubscribe = await deps.events.subscribe(liveChannels.bot(botId), (event) => {
    if (replaying) pending.push(event);
    else write(event);
  });
  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 2000\n\n');

  if (after !== undefined) {
    for (const message of await deps.chat.list(botId, { afterId: after, limit: 500 })) {
      write({
        kind: 'chat.message',
        botId,
        messageId: message.id,
        role: message.role,
        content: message.content,
        at: message.createdAt.toISOString(),
      });
    }
  }
  replaying = false;
  for (const event of pending.splice(0)) write(event);

  const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
  request.raw.on('close', () => {
    clearInterval(keepAlive);
    void unsubscribe();
  });
}
