import { type LiveEvent, liveChannels } from '@agent-bot/contracts';
import { waitFor } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, type TestGateway, createTestGateway } from '../../../test-support/test-gateway.js';

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('bots API', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await createTestGateway();
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('launches a bot with its whole id and lists it offline until a worker heartbeats it', async () => {
    const created = await gateway.app.inject({
      method: 'POST',
      url: '/api/bots',
      headers: admin,
      payload: { id: 'CLAUDE-CODE-001', runner: 'claude-code', model: 'sonnet', system_prompt: 'You review code.' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().bot).toMatchObject({
      id: 'CLAUDE-CODE-001',
      runner: 'claude-code',
      status: 'offline',
      state: 'running',
    });

    const duplicate = await gateway.app.inject({
      method: 'POST',
      url: '/api/bots',
      headers: admin,
      payload: { id: 'CLAUDE-CODE-001', runner: 'ollama' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('BOT_EXISTS');

    const invalid = await gateway.app.inject({
      method: 'POST',
      url: '/api/bots',
      headers: admin,
      payload: { id: 'bad id; drop', runner: 'gpt' },
    });
    expect(invalid.statusCode).toBe(400);

    await gateway.deps.bots.heartbeat({ ids: ['CLAUDE-CODE-001'], busyIds: [], workerId: 'w-test' });
    const list = await gateway.app.inject({ method: 'GET', url: '/api/bots', headers: admin });
    expect(list.statusCode).toBe(200);
    const board = list.json();
    expect(board.stale_after_seconds).toBe(300);
    expect(board.bots).toHaveLength(1);
    expect(board.bots[0]).toMatchObject({ id: 'CLAUDE-CODE-001', status: 'online' });
    expect(Date.parse(board.bots[0].last_heartbeat_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(board.queue).toMatchObject({ waiting: expect.any(Number) });
  });

  it('stores a chat message, shows it live on that bot only, and queues the reply', async () => {
    await gateway.app.inject({
      method: 'POST',
      url: '/api/bots',
      headers: admin,
      payload: { id: 'OLLAMA-001', runner: 'ollama' },
    });
    const seen: LiveEvent[] = [];
    const other: LiveEvent[] = [];
    const off1 = await gateway.deps.events.subscribe(liveChannels.bot('OLLAMA-001'), (event) => seen.push(event));
    const off2 = await gateway.deps.events.subscribe(liveChannels.bot('CLAUDE-CODE-001'), (event) => other.push(event));

    const sent = await gateway.app.inject({
      method: 'POST',
      url: '/api/bots/OLLAMA-001/messages',
      headers: admin,
      payload: { content: 'hello there' },
    });
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toMatchObject({ queued: true, message: { bot_id: 'OLLAMA-001', role: 'user', content: 'hello there' } });
    await waitFor('the chat.message event', () => seen.find((event) => event.kind === 'chat.message'));
    expect(other).toEqual([]);
    const depth = await gateway.deps.queue.depth();
    expect(depth.prioritized + depth.waiting).toBeGreaterThanOrEqual(1);
    await off1();
    await off2();
  });

  it('pages the history by id and refuses a stopped bot', async () => {
    for (let i = 0; i < 4; i++) {
      await gateway.deps.chat.append({ botId: 'OLLAMA-001', role: 'assistant', content: `answer ${i}` });
    }
    const page = await gateway.app.inject({ method: 'GET', url: '/api/bots/OLLAMA-001/messages?limit=2', headers: admin });
    const latest = page.json();
    expect(latest.messages.map((m: { content: string }) => m.content)).toEqual(['answer 2', 'answer 3']);
    expect(latest.has_more).toBe(true);
    const older = await gateway.app.inject({
      method: 'GET',
      url: `/api/bots/OLLAMA-001/messages?limit=2&before=${latest.messages[0].id}`,
      headers: admin,
    });
    expect(older.json().messages.map((m: { content: string }) => m.content)).toEqual(['answer 0', 'answer 1']);

    const stopped = await gateway.app.inject({ method: 'POST', url: '/api/bots/OLLAMA-001/stop', headers: admin });
    expect(stopped.json().bot).toMatchObject({ state: 'stopped', status: 'offline' });
    const refused = await gateway.app.inject({
      method: 'POST',
      url: '/api/bots/OLLAMA-001/messages',
      headers: admin,
      payload: { content: 'are you there?' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('BOT_STOPPED');
  });

  it('deletes a bot; only operators may launch or delete', async () => {
    const signIn = await gateway.app.inject({ method: 'POST', url: '/api/session', payload: { token: TEST_ADMIN_TOKEN } });
    expect(signIn.statusCode).toBe(200);
    const removed = await gateway.app.inject({ method: 'DELETE', url: '/api/bots/OLLAMA-001', headers: admin });
    expect(removed.statusCode).toBe(204);
    const missing = await gateway.app.inject({ method: 'GET', url: '/api/bots/OLLAMA-001', headers: admin });
    expect(missing.statusCode).toBe(404);
    const anonymous = await gateway.app.inject({ method: 'POST', url: '/api/bots', payload: { id: 'X-1', runner: 'ollama' } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('cancels a queued task and retries it as a new task', async () => {
    const created = await gateway.app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: admin,
      payload: { prompt: 'do it', runner: 'noop' },
    });
    const id = created.json().task.id as string;
    const cancelled = await gateway.app.inject({ method: 'POST', url: `/api/tasks/${id}/cancel`, headers: admin });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().task.status).toBe('cancelled');
    const again = await gateway.app.inject({ method: 'POST', url: `/api/tasks/${id}/cancel`, headers: admin });
    expect(again.statusCode).toBe(409);
    // A run that finishes after the cancel does not overwrite it.
    expect(
      await gateway.deps.tasks.markSucceeded(id, { attempt: 1, usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 } }),
    ).toBeNull();
    expect((await gateway.deps.tasks.get(id))?.status).toBe('cancelled');

    const retried = await gateway.app.inject({ method: 'POST', url: `/api/tasks/${id}/retry`, headers: admin });
    expect(retried.statusCode).toBe(202);
    const copy = retried.json().task;
    expect(copy.id).not.toBe(id);
    expect(copy).toMatchObject({ status: 'queued', prompt: 'do it', runner: 'noop' });
    const notYet = await gateway.app.inject({ method: 'POST', url: `/api/tasks/${copy.id}/retry`, headers: admin });
    expect(notYet.statusCode).toBe(409);
  });
});
