import { type LiveEvent, type Principal, type WsServerMessage, type WsSubscription, liveChannels } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import type { WebSocket } from 'ws';
import type { GatewayDeps } from '../deps.js';
import type { BoardFeed } from './board-feed.js';
import { parseClientMessage } from './client-message.js';
import { encodeEvent } from './encode-event.js';

/** A socket that cannot keep up (this many bytes queued) is closed; it resumes from its cursor. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export type LiveConnectionDeps = Pick<GatewayDeps, 'events' | 'tasks' | 'taskEvents' | 'bots' | 'chat'> & {
  board: BoardFeed;
  logger: Logger;
};

function keyOf(subscription: WsSubscription): string {
  return subscription.channel === 'task' || subscription.channel === 'bot'
    ? `${subscription.channel}:${subscription.id}`
    : subscription.channel;
}

/** Id of a stored event (task_events id or chat message id) carried by a live event, for de-duplication. */
function storedIdOf(event: LiveEvent): bigint | undefined {
  if (event.kind === 'task.log') return BigInt(event.eventId);
  if (event.kind === 'chat.message') return BigInt(event.messageId);
  return undefined;
}

/**
 * One dashboard WebSocket. Each subscription listens on the bus first and only then replays what
 * PostgreSQL holds after the client's cursor, buffering live events meanwhile; stored events the
 * replay already sent are skipped by id. So a client that reconnects with its last id misses
 * nothing and sees nothing twice.
 */
export function serveLiveConnection(socket: WebSocket, principal: Principal, deps: LiveConnectionDeps): void {
  const subscriptions = new Map<string, () => void | Promise<void>>();
  let closed = false;

  const sendRaw = (frame: string) => {
    if (closed || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(1013, 'too slow; reconnect and resume');
      return;
    }
    socket.send(frame);
  };
  const send = (message: WsServerMessage) => sendRaw(JSON.stringify(message));

  const subscribe = async (subscription: WsSubscription) => {
    const key = keyOf(subscription);
    if (subscriptions.has(key)) return;
    subscriptions.set(key, () => {});
    try {
      const stop = await openSubscription(subscription, key);
      if (closed || !subscriptions.has(key)) {
        await stop();
        return;
      }
      subscriptions.set(key, stop);
      send({ type: 'subscribed', key });
    } catch (error) {
      subscriptions.delete(key);
      const message = error instanceof Error ? error.message : String(error);
      send({ type: 'error', code: (error as { code?: string }).code ?? 'SUBSCRIBE_FAILED', message });
    }
  };

  const openSubscription = async (subscription: WsSubscription, key: string): Promise<() => void | Promise<void>> => {
    switch (subscription.channel) {
      case 'board':
        return deps.board.add((board) => send({ type: 'board', board }));
      case 'tasks':
        return deps.events.subscribe(liveChannels.tasks, (event) => sendRaw(encodeEvent(key, event)));
      case 'task': {
        const task = await deps.tasks.get(subscription.id);
        if (!task) throw Object.assign(new Error(`task ${subscription.id} not found`), { code: 'TASK_NOT_FOUND' });
        return replayThenFollow(liveChannels.task(task.id), key, subscription.after, async (after) => {
          const stored = await deps.taskEvents.list(task.id, { afterId: after, limit: 5000 });
          return stored.map((row) => ({
            kind: 'task.log',
            taskId: task.id,
            eventId: row.id,
            logKind: row.kind,
            message: row.message,
            at: row.createdAt.toISOString(),
          }));
        });
      }
      case 'bot': {
        const bot = await deps.bots.get(subscription.id);
        if (!bot) throw Object.assign(new Error(`bot ${subscription.id} not found`), { code: 'BOT_NOT_FOUND' });
        return replayThenFollow(liveChannels.bot(bot.id), key, subscription.after, async (after) => {
          // Without a cursor the page loads history over REST; the socket only carries what follows.
          if (after === undefined) return [];
          const stored = await deps.chat.list(bot.id, { afterId: after, limit: 500 });
          return stored.map((message) => ({
            kind: 'chat.message',
            botId: bot.id,
            messageId: message.id,
            role: message.role,
            content: message.content,
            at: message.createdAt.toISOString(),
          }));
        });
      }
      default: {
        const exhaustive: never = subscription;
        throw new Error(`unknown channel ${JSON.stringify(exhaustive)}`);
      }
    }
  };

  const replayThenFollow = async (
    channel: string,
    key: string,
    after: string | undefined,
    loadStored: (after: string | undefined) => Promise<LiveEvent[]>,
  ) => {
    let buffered: LiveEvent[] | undefined = [];
    let lastStoredId = after === undefined ? -1n : BigInt(after);
    const deliver = (event: LiveEvent, replayed: boolean) => {
      const id = storedIdOf(event);
      if (id !== undefined) {
        if (id <= lastStoredId) return;
        lastStoredId = id;
      }
      sendRaw(encodeEvent(key, event, replayed));
    };
    const unsubscribe = await deps.events.subscribe(channel, (event) => {
      if (buffered) buffered.push(event);
      else deliver(event, false);
    });
    for (const event of await loadStored(after)) deliver(event, true);
    const pending = buffered;
    buffered = undefined;
    for (const event of pending) deliver(event, false);
    return unsubscribe;
  };

  const unsubscribe = async (subscription: WsSubscription) => {
    const key = keyOf(subscription);
    const stop = subscriptions.get(key);
    subscriptions.delete(key);
    await stop?.();
  };

  socket.on('message', (data) => {
    const message = parseClientMessage(data.toString());
    if (!message) {
      send({ type: 'error', code: 'BAD_MESSAGE', message: 'expected {type: "subscribe"|"unsubscribe"|"ping", ...}' });
      return;
    }
    if (message.type === 'ping') send({ type: 'pong' });
    else if (message.type === 'subscribe') void subscribe(message);
    else void unsubscribe(message);
  });

  // Browsers answer protocol pings by themselves; a peer that stops answering is dropped.
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  const pinger = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, 30_000);
  pinger.unref();

  socket.on('close', () => {
    closed = true;
    clearInterval(pinger);
    for (const stop of subscriptions.values()) void stop();
    subscriptions.clear();
  });
  socket.on('error', (error) => deps.logger.debug({ err: error }, 'websocket error'));

  send({ type: 'hello', login: principal.login });
}
