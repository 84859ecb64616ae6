import { AppError, type LiveEvent, liveChannels, newBotSchema } from '@agent-bot/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayDeps } from '../../../deps.js';
import { requireAdminPrincipal, requireSession } from '../../../plugins/session.js';
import { buildBoard, serializeBot } from '../../../use-cases/build-board.js';
import { sendChatMessage } from '../../../use-cases/send-chat-message.js';
import { streamChatEvents } from './chat-stream.js';
import { serializeChatMessage } from './serialize-chat-message.js';

const createBody = z.object({
  id: newBotSchema.shape.id,
  name: newBotSchema.shape.name,
  runner: newBotSchema.shape.runner,
  model: newBotSchema.shape.model,
  system_prompt: newBotSchema.shape.systemPrompt,
});
const historyQuery = z.object({
  before: z.string().regex(/^\d+$/).optional(),
  after: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const messageBody = z.object({ content: z.string().trim().min(1).max(20_000) });

type BotParams = { Params: { id: string } };

/** Launch, list, stop, start and delete bots; chat with them (REST, and SSE as the WebSocket fallback). */
export async function botRoutes(app: FastifyInstance, deps: GatewayDeps) {
  app.addHook('preHandler', requireSession);

  const mustGet = async (id: string) => {
    const bot = await deps.bots.get(id);
    if (!bot) throw new AppError('BOT_NOT_FOUND', `bot ${id} not found`, { expected: true });
    return bot;
  };
  const announce = async (botId: string, change: Extract<LiveEvent, { kind: 'bots.changed' }>['change']) => {
    await deps.events
      .publish(liveChannels.bots, { kind: 'bots.changed', botId, change, at: new Date().toISOString() })
      .catch((error: unknown) => app.log.debug({ err: error }, 'bots.changed not published'));
  };

  app.get('/', async () => buildBoard(deps));

  app.post('/', { preHandler: requireAdminPrincipal }, async (request, reply) => {
    const body = createBody.parse(request.body ?? {});
    const bot = await deps.bots.create({
      id: body.id,
      name: body.name,
      runner: body.runner,
      model: body.model,
      systemPrompt: body.system_prompt,
    });
    await announce(bot.id, 'created');
    return reply.status(201).send({ bot: serializeBot(bot, new Date(), deps.botStaleAfterMs) });
  });

  app.get<BotParams>('/:id', async (request) => ({
    bot: serializeBot(await mustGet(request.params.id), new Date(), deps.botStaleAfterMs),
  }));

  for (const [action, state] of [
    ['stop', 'stopped'],
    ['start', 'running'],
  ] as const) {
    app.post<BotParams>(`/:id/${action}`, { preHandler: requireAdminPrincipal }, async (request) => {
      const bot = await deps.bots.setState(request.params.id, state);
      if (!bot) throw new AppError('BOT_NOT_FOUND', `bot ${request.params.id} not found`, { expected: true });
      await announce(bot.id, state === 'stopped' ? 'stopped' : 'started');
      return { bot: serializeBot(bot, new Date(), deps.botStaleAfterMs) };
    });
  }

  app.delete<BotParams>('/:id', { preHandler: requireAdminPrincipal }, async (request, reply) => {
    if (!(await deps.bots.delete(request.params.id))) {
      throw new AppError('BOT_NOT_FOUND', `bot ${request.params.id} not found`, { expected: true });
    }
    await announce(request.params.id, 'deleted');
    return reply.status(204).send();
  });

  app.get<BotParams>('/:id/messages', async (request) => {
    const bot = await mustGet(request.params.id);
    const query = historyQuery.parse(request.query);
    const limit = query.limit ?? 30;
    const messages = await deps.chat.list(bot.id, { beforeId: query.before, afterId: query.after, limit });
    // A full page may have older messages before it; the page is loaded on scroll.
    return { messages: messages.map(serializeChatMessage), has_more: query.after === undefined && messages.length === limit };
  });

  app.post<BotParams>('/:id/messages', async (request, reply) => {
    const { content } = messageBody.parse(request.body ?? {});
    const principal = request.principal;
    const { message, queued } = await sendChatMessage(deps, {
      botId: request.params.id,
      content,
      author: principal?.login ?? 'unknown',
    });
    return reply.status(202).send({ message: serializeChatMessage(message), queued });
  });

  app.get<BotParams & { Querystring: { after?: string } }>('/:id/events', async (request, reply) => {
    const bot = await mustGet(request.params.id);
    // EventSource sends Last-Event-ID by itself when it reconnects.
    const candidate = request.query.after ?? request.headers['last-event-id'];
    const after = typeof candidate === 'string' && /^\d+$/.test(candidate) ? candidate : undefined;
    await streamChatEvents(deps, request, reply, bot.id, after);
  });
}
