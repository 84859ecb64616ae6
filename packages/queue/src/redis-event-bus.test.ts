import type { LiveEvent } from '@agent-bot/contracts';
import { TEST_REDIS_URL, uniqueRedisPrefix, waitFor } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRedisReachable } from './assert-reachable.js';
import { createRedis } from './redis-connection.js';
import { RedisEventBus } from './redis-event-bus.js';

const prefix = uniqueRedisPrefix('bus');
const clients = [
  createRedis(TEST_REDIS_URL, 'producer'),
  createRedis(TEST_REDIS_URL, 'subscriber'),
  createRedis(TEST_REDIS_URL, 'subscriber'),
];
const [publisher, subscriberA, subscriberB] = clients as [(typeof clients)[0], (typeof clients)[0], (typeof clients)[0]];
beforeAll(() => assertRedisReachable(publisher, TEST_REDIS_URL));
afterAll(() => {
  for (const client of clients) client.disconnect();
});

const event = (message: string): LiveEvent => ({
  kind: 'task.log',
  taskId: 't1',
  eventId: message,
  logKind: 'agent.log',
  message,
  at: new Date(0).toISOString(),
});

describe('RedisEventBus', () => {
  it('fans an event out to every subscribed process, per channel, until unsubscribed', async () => {
    // Two buses on separate connections stand for two gateway replicas.
    const a = new RedisEventBus({ publisher, subscriber: subscriberA, prefix });
    const b = new RedisEventBus({ publisher, subscriber: subscriberB, prefix });
    const seenA: string[] = [];
    const seenB: string[] = [];
    const seenOther: string[] = [];
    const unsubscribeA = await a.subscribe('task:t1', (e) => seenA.push((e as { message: string }).message));
    await b.subscribe('task:t1', (e) => seenB.push((e as { message: string }).message));
    await b.subscribe('task:t2', (e) => seenOther.push((e as { message: string }).message));

    await a.publish('task:t1', event('one'));
    await waitFor('both replicas to see the event', () => seenA.length === 1 && seenB.length === 1);
    expect(seenA).toEqual(['one']);
    expect(seenB).toEqual(['one']);

    await unsubscribeA();
    await b.publish('task:t1', event('two'));
    await b.publish('task:t2', event('elsewhere'));
    await waitFor('the second event', () => seenB.length === 2 && seenOther.length === 1);
    expect(seenA).toEqual(['one']);
    expect(seenB).toEqual(['one', 'two']);
    expect(seenOther).toEqual(['elsewhere']);
  });

  it('keeps deployments with different prefixes apart', async () => {
    const mine = new RedisEventBus({ publisher, subscriber: subscriberA, prefix: `${prefix}-x` });
    const theirs = new RedisEventBus({ publisher, subscriber: subscriberA, prefix: `${prefix}-y` });
    const seen: string[] = [];
    await mine.subscribe('tasks', (e) => seen.push((e as { message: string }).message));
    await theirs.publish('tasks', event('foreign'));
    await mine.publish('tasks', event('own'));
    await waitFor('own event', () => seen.includes('own'));
    expect(seen).toEqual(['own']);
  });
});
