import { type LiveEvent, liveChannels } from '@agent-bot/contracts';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresTaskEventRepository,
  PostgresTaskRepository,
} from '@agent-bot/db';
import { createLogger, createMetrics } from '@agent-bot/observability';
import { BullMqJobQueue, RedisEventBus, createRedis } from '@agent-bot/queue';
import { OllamaRunner } from '@agent-bot/runners';
import {
  type OllamaStandIn,
  TEST_REDIS_URL,
  createTestDatabase,
  deleteRedisPrefix,
  freePort,
  startOllamaStandIn,
  type TestDatabase,
  uniqueRedisPrefix,
  waitFor,
} from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WorkerRuntime, startWorkerRuntime } from '../worker-runtime.js';

describe('chat.reply in a worker', () => {
  let db: TestDatabase;
  const prefix = uniqueRedisPrefix('chat');
  const producer = createRedis(TEST_REDIS_URL, 'producer');
  const consumer = createRedis(TEST_REDIS_URL, 'consumer');
  let events: RedisEventBus;
  let queue: BullMqJobQueue;
  let runtime: WorkerRuntime;
  let bots: PostgresBotRepository;
  let chat: PostgresChatMessageRepository;
  let ollama: OllamaStandIn;
  let downUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    bots = new PostgresBotRepository(db.sql);
    chat = new PostgresChatMessageRepository(db.sql);
    events = new RedisEventBus({ publisher: consumer, subscriber: createRedis(TEST_REDIS_URL, 'subscriber'), prefix });
    queue = new BullMqJobQueue({ connection: producer, prefix });
    await bots.create({ id: 'OLLAMA-001', runner: 'ollama', model: 'llama3.2', systemPrompt: 'Be brief.' });
    await bots.create({ id: 'OLLAMA-002', runner: 'ollama', model: 'llama3.2', systemPrompt: '' });
    await bots.create({ id: 'OLLAMA-DOWN', runner: 'claude-code', systemPrompt: '' });
    ollama = await startOllamaStandIn({
      models: ['llama3.2'],
      script: [
        { kind: 'text', text: 'The plan is to ship it today.' },
        { kind: 'text', text: 'First concurrent answer, streamed in small pieces.' },
        { kind: 'text', text: 'Second concurrent answer, also streamed in small pieces.' },
      ],
      tokenDelayMs: 2,
    });
    // Nothing listens here: the runner of the second bot finds its server down.
    downUrl = `http://127.0.0.1:${await freePort()}`;
    runtime = await startWorkerRuntime({
      workerId: 'w-chat-test',
      connection: consumer,
      prefix,
      concurrency: 4,
      tasks: new PostgresTaskRepository(db.sql),
      taskEvents: new PostgresTaskEventRepository(db.sql),
      bots,
      chat,
      events,
      logger: createLogger({ name: 'worker-test', level: 'silent' }),
      metrics: createMetrics({ collectProcessMetrics: false }),
      runners: {
        ollama: new OllamaRunner({ url: ollama.url, model: 'llama3.2', maxTurns: 2 }),
        // Registered under the other bot runner name so each bot gets its own server.
        'claude-code': new OllamaRunner({ url: downUrl, model: 'llama3.2', maxTurns: 2 }),
      },
      defaultRunner: undefined,
      limits: { timeoutMs: 60_000, maxCostUsd: 1 },
      botHeartbeatIntervalMs: 60_000,
      botStaleAfterMs: 300_000,
    });
  });
  afterAll(async () => {
    await runtime.close(5000);
    await queue.close();
    await events.close();
    producer.disconnect();
    consumer.disconnect();
    await deleteRedisPrefix(prefix);
    await db.drop();
    await ollama.close();
  });

  it('heartbeats the running bots it serves', async () => {
    await waitFor('heartbeat', async () => (await bots.get('OLLAMA-001'))?.lastHeartbeatAt);
  });

  it('streams the answer token by token on the bot channel, then stores it whole', async () => {
    const seen: LiveEvent[] = [];
    const off = await events.subscribe(liveChannels.bot('OLLAMA-001'), (event) => seen.push(event));
    const question = await chat.append({ botId: 'OLLAMA-001', role: 'user', content: 'what is the plan' });
    await queue.enqueue(
      'chat.reply',
      { botId: 'OLLAMA-001', messageId: question.id },
      { jobId: `chat-${question.id}`, priority: 'P0' },
    );

    const stored = await waitFor('the stored reply', () => seen.find((event) => event.kind === 'chat.message'));
    const tokens = seen.filter((event) => event.kind === 'chat.token');
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.map((event) => event.token).join('')).toBe('The plan is to ship it today.');
    expect(tokens.every((event) => event.botId === 'OLLAMA-001' && event.replyTo === question.id)).toBe(true);
    // Every token arrived before the stored message.
    expect(seen.indexOf(stored)).toBeGreaterThan(seen.indexOf(tokens.at(-1) as LiveEvent));
    expect(stored).toMatchObject({ role: 'assistant', content: 'The plan is to ship it today.', replyTo: question.id });
    // The runner got the bot's system prompt and the user's message.
    expect(JSON.stringify(ollama.chats[0]?.messages)).toContain('Be brief.');
    expect(JSON.stringify(ollama.chats[0]?.messages)).toContain('User: what is the plan');
    const history = await chat.list('OLLAMA-001');
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant']);
    await off();
  });

  it('keeps two bots answering at the same time apart: each channel carries only its own bot', async () => {
    const seen = new Map<string, LiveEvent[]>([
      ['OLLAMA-001', []],
      ['OLLAMA-002', []],
    ]);
    const offs = await Promise.all(
      [...seen.keys()].map((botId) => events.subscribe(liveChannels.bot(botId), (event) => seen.get(botId)?.push(event))),
    );
    const questions = await Promise.all(
      [...seen.keys()].map((botId) => chat.append({ botId, role: 'user', content: `question for ${botId}` })),
    );
    await Promise.all(
      questions.map((q) =>
        queue.enqueue('chat.reply', { botId: q.botId, messageId: q.id }, { jobId: `chat-${q.id}`, priority: 'P0' }),
      ),
    );
    const answers: string[] = [];
    for (const question of questions) {
      const received = seen.get(question.botId) ?? [];
      const stored = await waitFor(`${question.botId} answer`, () =>
        received.find((event) => event.kind === 'chat.message' && event.replyTo === question.id),
      );
      const tokens = received.filter((event) => event.kind === 'chat.token');
      expect(received.every((event) => 'botId' in event && event.botId === question.botId)).toBe(true);
      expect(tokens.every((event) => event.replyTo === question.id)).toBe(true);
      expect(stored.kind === 'chat.message' && stored.content).toBe(
        tokens
          .map((event) => event.token)
          .join('')
          .trim(),
      );
      answers.push(stored.kind === 'chat.message' ? stored.content : '');
    }
    expect(new Set(answers).size).toBe(2);
    for (const off of offs) await off();
  });

  it('turns a runner that is down into a clear chat message', async () => {
    const question = await chat.append({ botId: 'OLLAMA-DOWN', role: 'user', content: 'hi' });
    await queue.enqueue(
      'chat.reply',
      { botId: 'OLLAMA-DOWN', messageId: question.id },
      { jobId: `chat-${question.id}`, priority: 'P0' },
    );
    const reply = await waitFor('the error message', async () =>
      (await chat.list('OLLAMA-DOWN')).find((m) => m.role === 'error'),
    );
    expect(reply.content).toContain(`Ollama is not reachable at ${downUrl}`);
  });
});
