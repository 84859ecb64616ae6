import { type LiveEvent, type WsServerMessage, liveChannels } from '@agent-bot/contracts';
import { createLogger } from '@agent-bot/observability';
import { freePort } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, type TestGateway, createTestGateway } from '../../test-support/test-gateway.js';
import { openTestSocket } from '../../test-support/ws-client.js';

const ORIGIN = 'http://localhost:8080';

function eventsFor(messages: WsServerMessage[], key: string): LiveEvent[] {
  return messages.flatMap((message) => (message.type === 'event' && message.key === key ? [message.event] : []));
}

describe('live WebSocket /api/ws', () => {
  let gateway: TestGateway;
  let url: string;
  let cookie: string;
  beforeAll(async () => {
    gateway = await createTestGateway({ overrides: { boardIntervalMs: 200 } });
    const port = await freePort();
    await gateway.app.listen({ port, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${port}/api/ws`;
    const signIn = await gateway.app.inject({ method: 'POST', url: '/api/session', payload: { token: TEST_ADMIN_TOKEN } });
    cookie = String([signIn.headers['set-cookie']].flat()[0]).split(';')[0] as string;
    for (const id of ['OLLAMA-001', 'OLLAMA-002']) await gateway.deps.bots.create({ id, runner: 'ollama', systemPrompt: '' });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('refuses a client without a session', async () => {
    await expect(openTestSocket(url, { origin: ORIGIN })).rejects.toMatchObject({ statusCode: 401 });
    await expect(openTestSocket(url, { origin: ORIGIN, cookie: 'agentbot_session=forged' })).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('refuses a signed-in client from a foreign Origin', async () => {
    await expect(openTestSocket(url, { origin: 'https://evil.example', cookie })).rejects.toMatchObject({ statusCode: 403 });
    const allowed = await openTestSocket(url, { origin: ORIGIN, cookie });
    await allowed.until('hello', (messages) => messages.find((m) => m.type === 'hello'));
    await allowed.close();
  });

  it('keeps two bots chats apart under concurrent use', async () => {
    const one = await openTestSocket(url, { origin: ORIGIN, cookie });
    const two = await openTestSocket(url, { origin: ORIGIN, cookie });
    one.send({ type: 'subscribe', channel: 'bot', id: 'OLLAMA-001' });
    two.send({ type: 'subscribe', channel: 'bot', id: 'OLLAMA-002' });
    await one.until('subscribed', (m) => m.find((x) => x.type === 'subscribed'));
    await two.until('subscribed', (m) => m.find((x) => x.type === 'subscribed'));

    const tokens = 200;
    const stream = (botId: string) =>
      (async () => {
        for (let i = 0; i < tokens; i++) {
          await gateway.deps.events.publish(liveChannels.bot(botId), {
            kind: 'chat.token',
            botId,
            replyTo: '1',
            token: `${botId}#${i} `,
          });
        }
      })();
    // Both bots stream at once while users post messages to both over REST.
    await Promise.all([
      stream('OLLAMA-001'),
      stream('OLLAMA-002'),
      ...['OLLAMA-001', 'OLLAMA-002'].map((botId) =>
        gateway.app.inject({
          method: 'POST',
          url: `/api/bots/${botId}/messages`,
          headers: { cookie },
          payload: { content: `hi ${botId}` },
        }),
      ),
    ]);

    for (const [client, botId] of [
      [one, 'OLLAMA-001'],
      [two, 'OLLAMA-002'],
    ] as const) {
      const key = `bot:${botId}`;
      await client.until(`${botId} tokens`, (m) => eventsFor(m, key).filter((e) => e.kind === 'chat.token').length === tokens);
      await client.until(`${botId} message`, (m) => eventsFor(m, key).some((e) => e.kind === 'chat.message'));
      const received = client.messages.filter((m) => m.type === 'event');
      // Nothing of the other bot, and every event names this bot.
      expect(received.every((m) => m.type === 'event' && m.key === key && 'botId' in m.event && m.event.botId === botId)).toBe(
        true,
      );
      const streamed = eventsFor(client.messages, key).flatMap((e) => (e.kind === 'chat.token' ? [e.token] : []));
      expect(streamed).toEqual(Array.from({ length: tokens }, (_, i) => `${botId}#${i} `));
    }
    await one.close();
    await two.close();
  });

  it('resumes a dropped connection from the last task event id without losing or repeating events', async () => {
    const task = await gateway.deps.tasks.create({
      kind: 'answer',
      priority: 'P2',
      source: 'api',
      prompt: 'resume me',
      context: {},
    });
    // What the worker's TaskReporter does: store the event, then publish it.
    const log = async (message: string) => {
      const stored = await gateway.deps.taskEvents.append(task.id, { kind: 'agent.log', message });
      await gateway.deps.events.publish(liveChannels.task(task.id), {
        kind: 'task.log',
        taskId: task.id,
        eventId: stored.id,
        logKind: 'agent.log',
        message,
        at: stored.createdAt.toISOString(),
      });
    };
    const key = `task:${task.id}`;
    const logLines = (messages: WsServerMessage[]) =>
      eventsFor(messages, key).flatMap((e) => (e.kind === 'task.log' ? [{ id: e.eventId, message: e.message }] : []));

    await log('line 0');
    const first = await openTestSocket(url, { origin: ORIGIN, cookie });
    first.send({ type: 'subscribe', channel: 'task', id: task.id });
    await first.until('subscribed', (m) => m.find((x) => x.type === 'subscribed'));
    for (let i = 1; i <= 5; i++) await log(`line ${i}`);
    await first.until('six lines', (m) => logLines(m).length === 6);
    const lastSeen = logLines(first.messages).at(-1)?.id as string;
    first.socket.terminate();

    // Written while the viewer is away...
    for (let i = 6; i <= 10; i++) await log(`line ${i}`);
    const second = await openTestSocket(url, { origin: ORIGIN, cookie });
    second.send({ type: 'subscribe', channel: 'task', id: task.id, after: lastSeen });
    // ...and while it is replaying.
    const during = (async () => {
      for (let i = 11; i <= 20; i++) await log(`line ${i}`);
    })();
    await during;
    await second.until('the rest', (m) => logLines(m).length >= 15);
    const all = [...logLines(first.messages), ...logLines(second.messages)].map((line) => line.message);
    expect(all).toEqual(Array.from({ length: 21 }, (_, i) => `line ${i}`));
    await second.close();
  });

  it('resumes a bot chat from the last chat message id', async () => {
    const say = async (content: string) => {
      const message = await gateway.deps.chat.append({ botId: 'OLLAMA-001', role: 'assistant', content });
      await gateway.deps.events.publish(liveChannels.bot('OLLAMA-001'), {
        kind: 'chat.message',
        botId: 'OLLAMA-001',
        messageId: message.id,
        role: message.role,
        content,
        at: message.createdAt.toISOString(),
      });
      return message.id;
    };
    const seenUpTo = await say('before the drop');
    await say('missed 1');
    await say('missed 2');
    const client = await openTestSocket(url, { origin: ORIGIN, cookie });
    client.send({ type: 'subscribe', channel: 'bot', id: 'OLLAMA-001', after: seenUpTo });
    await client.until('subscribed', (m) => m.find((x) => x.type === 'subscribed'));
    await say('live after resume');
    const contents = (m: WsServerMessage[]) =>
      eventsFor(m, 'bot:OLLAMA-001').flatMap((e) => (e.kind === 'chat.message' ? [e.content] : []));
    await client.until('three messages', (m) => contents(m).length >= 3);
    expect(contents(client.messages)).toEqual(['missed 1', 'missed 2', 'live after resume']);
    await client.close();
  });

  it('pushes the status board when a bot changes, without the client asking again', async () => {
    const client = await openTestSocket(url, { origin: ORIGIN, cookie });
    client.send({ type: 'subscribe', channel: 'board' });
    const first = await client.until('a board', (m) => m.find((x) => x.type === 'board'));
    expect(first.type === 'board' && first.board.bots.map((b) => b.id)).toEqual(['OLLAMA-001', 'OLLAMA-002']);
    await gateway.deps.bots.heartbeat({ ids: ['OLLAMA-002'], busyIds: ['OLLAMA-002'], workerId: 'w1' });
    await gateway.deps.events.publish(liveChannels.bots, {
      kind: 'bot.status',
      botId: 'OLLAMA-002',
      status: 'busy',
      lastHeartbeatAt: new Date().toISOString(),
      at: new Date().toISOString(),
    });
    await client.until('OLLAMA-002 busy', (m) =>
      m.find((x) => x.type === 'board' && x.board.bots.some((b) => b.id === 'OLLAMA-002' && b.status === 'busy')),
    );
    await client.close();
  });
});

describe('live WebSocket /api/ws when PUBLIC_URL is not the address browsers use', () => {
  it('logs one warning naming the refused Origin and PUBLIC_URL, however often the browser retries', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      name: 'gateway-test',
      level: 'warn',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const gateway = await createTestGateway({ overrides: { logger, publicUrl: 'http://localhost:8080' } });
    try {
      const port = await freePort();
      await gateway.app.listen({ port, host: '127.0.0.1' });
      const signIn = await gateway.app.inject({ method: 'POST', url: '/api/session', payload: { token: TEST_ADMIN_TOKEN } });
      const cookie = String([signIn.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      // The operator changed PORT to 9090 but PUBLIC_URL still says 8080; the dashboard retries.
      for (let i = 0; i < 5; i++) {
        await expect(
          openTestSocket(`ws://127.0.0.1:${port}/api/ws`, { origin: 'http://localhost:9090', cookie }),
        ).rejects.toMatchObject({ statusCode: 403 });
      }
      const refused = lines.filter((line) => line.origin === 'http://localhost:9090');
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ level: 'warn', publicUrl: 'http://localhost:8080' });
      expect(String(refused[0]?.msg)).toContain('set PUBLIC_URL');
    } finally {
      await gateway.close();
    }
  });
});
