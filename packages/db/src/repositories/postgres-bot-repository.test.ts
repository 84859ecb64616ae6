import { deriveBotStatus } from '@agent-bot/contracts';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresBotRepository } from './postgres-bot-repository.js';
import { PostgresChatMessageRepository } from './postgres-chat-message-repository.js';

describe('PostgresBotRepository and PostgresChatMessageRepository', () => {
  let db: TestDatabase;
  let bots: PostgresBotRepository;
  let chat: PostgresChatMessageRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    bots = new PostgresBotRepository(db.sql);
    chat = new PostgresChatMessageRepository(db.sql);
  });
  afterAll(async () => {
    await db.drop();
  });

  async function mustGet(id: string) {
    const bot = await bots.get(id);
    if (!bot) throw new Error(`bot ${id} missing`);
    return bot;
  }

  it('creates a bot with its whole id, refuses a duplicate id, lists and stops it', async () => {
    const bot = await bots.create({ id: 'CLAUDE-CODE-001', runner: 'claude-code', model: 'sonnet', systemPrompt: 'be brief' });
    expect(bot).toMatchObject({ id: 'CLAUDE-CODE-001', name: 'CLAUDE-CODE-001', state: 'running', lastHeartbeatAt: null });
    await expect(bots.create({ id: 'CLAUDE-CODE-001', runner: 'ollama', systemPrompt: '' })).rejects.toMatchObject({
      code: 'BOT_EXISTS',
    });
    expect((await bots.list()).map((b) => b.id)).toEqual(['CLAUDE-CODE-001']);
    expect((await bots.setState('CLAUDE-CODE-001', 'stopped'))?.state).toBe('stopped');
    expect(await bots.setState('NOPE', 'stopped')).toBeNull();
  });

  it('heartbeats only running bots, in UTC, with their busy flag', async () => {
    await bots.create({ id: 'OLLAMA-001', runner: 'ollama', systemPrompt: '' });
    await bots.create({ id: 'OLLAMA-002', runner: 'ollama', systemPrompt: '' });
    const before = Date.now();
    const beaten = await bots.heartbeat({
      ids: ['CLAUDE-CODE-001', 'OLLAMA-001', 'OLLAMA-002'],
      busyIds: ['OLLAMA-002'],
      workerId: 'w1',
    });
    // CLAUDE-CODE-001 is stopped: no heartbeat for it.
    expect(beaten.map((b) => b.id).sort()).toEqual(['OLLAMA-001', 'OLLAMA-002']);
    const one = await mustGet('OLLAMA-001');
    expect(one.lastHeartbeatAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const types = await db.sql<{ tz: string }[]>`select pg_typeof(last_heartbeat_at)::text as tz from bots limit 1`;
    expect(types[0]?.tz).toBe('timestamp with time zone');
    const now = new Date();
    expect(deriveBotStatus(one, now, 300_000)).toBe('online');
    expect(deriveBotStatus(await mustGet('OLLAMA-002'), now, 300_000)).toBe('busy');
    expect(deriveBotStatus(one, new Date(now.getTime() + 301_000), 300_000)).toBe('stale');
    expect(deriveBotStatus(await mustGet('CLAUDE-CODE-001'), now, 300_000)).toBe('offline');
  });

  it('pages chat history by id, oldest first, per bot, and resumes after an id', async () => {
    for (let i = 1; i <= 5; i++) await chat.append({ botId: 'OLLAMA-001', role: 'user', content: `m${i}` });
    await chat.append({ botId: 'OLLAMA-002', role: 'user', content: 'other bot' });
    const latest = await chat.list('OLLAMA-001', { limit: 2 });
    expect(latest.map((m) => m.content)).toEqual(['m4', 'm5']);
    const older = await chat.list('OLLAMA-001', { limit: 2, beforeId: latest[0]?.id });
    expect(older.map((m) => m.content)).toEqual(['m2', 'm3']);
    const after = await chat.list('OLLAMA-001', { afterId: older[0]?.id });
    expect(after.map((m) => m.content)).toEqual(['m3', 'm4', 'm5']);
  });

  it('deletes a bot with its chat history', async () => {
    expect(await bots.delete('OLLAMA-001')).toBe(true);
    expect(await bots.get('OLLAMA-001')).toBeNull();
    expect(await chat.list('OLLAMA-001')).toEqual([]);
    expect(await bots.delete('OLLAMA-001')).toBe(false);
  });
});
