import { describe, expect, it } from 'vitest';
import { QueueHandoffs } from './queue-handoffs.js';

/** A hand-off that finishes when the test says so. */
function gated() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let done = false;
  const handoff = async () => {
    await gate;
    done = true;
  };
  return { handoff, open, done: () => done };
}

/** Whether `promise` is still unsettled a few milliseconds from now. */
async function stillPending(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  const timer = new Promise((resolve) => setTimeout(() => resolve(pending), 5));
  return (await Promise.race([promise, timer])) === pending;
}

describe('QueueHandoffs', () => {
  it('lets the caller answer before the hand-off finishes, and settled() waits for it', async () => {
    const handoffs = new QueueHandoffs(() => {});
    const slow = gated();
    await handoffs.start(slow.handoff);
    expect(slow.done()).toBe(false);
    expect(handoffs.size).toBe(1);
    const waiting = handoffs.settled();
    expect(await stillPending(waiting)).toBe(true);
    slow.open();
    await waiting;
    expect(slow.done()).toBe(true);
    expect(handoffs.size).toBe(0);
  });

  it('past its limit, makes the caller wait for its own hand-off (back-pressure, bounded memory)', async () => {
    const handoffs = new QueueHandoffs(() => {}, 2);
    const [a, b, c] = [gated(), gated(), gated()];
    await handoffs.start(a.handoff);
    await handoffs.start(b.handoff);
    const third = handoffs.start(c.handoff);
    expect(await stillPending(third)).toBe(true);
    c.open();
    await third;
    expect(c.done()).toBe(true);
    a.open();
    b.open();
    await handoffs.settled();
  });

  it('hands a failure to onError instead of rejecting anyone', async () => {
    const errors: unknown[] = [];
    const handoffs = new QueueHandoffs((error) => errors.push(error));
    await handoffs.start(async () => {
      throw new Error('redis went away');
    });
    await handoffs.settled();
    expect(errors).toEqual([new Error('redis went away')]);
    expect(handoffs.size).toBe(0);
  });
});
