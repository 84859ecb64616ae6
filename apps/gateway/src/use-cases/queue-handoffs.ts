/**
 * Queue hand-offs that run after a webhook is acknowledged (a transactional outbox relay).
 *
 * A triggering delivery is committed together with its `queued` task; the task row is the ledger.
 * Handing the job to Redis before answering put a second batched round trip into every
 * acknowledgement (under a burst, every request waited for the statement and then for the queue
 * batch, in lockstep) while promising nothing more: if the hand-off fails the delivery is marked
 * deferred, and if the process dies first the reconciler queues the task from the ledger, exactly
 * once (job id = task id). See docs/webhooks.md "Throughput" for what it measured.
 *
 * In flight hand-offs are bounded: past `limit` a new one is awaited before answering, so a slow
 * or stuck Redis pushes back on senders instead of growing memory. `settled()` waits for all of
 * them (graceful shutdown, tests).
 */
export class QueueHandoffs {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    /** Called with anything a hand-off throws (it has no caller left to tell). */
    private readonly onError: (error: unknown) => void,
    private readonly limit = 2_000,
  ) {}

  /** Starts `handoff`; resolves at once, or when it finishes if too many are already in flight. */
  async start(handoff: () => Promise<void>): Promise<void> {
    const running: Promise<void> = handoff()
      .catch(this.onError)
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    if (this.inFlight.size > this.limit) await running;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Resolves once every hand-off started so far (and any they lead to) has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
