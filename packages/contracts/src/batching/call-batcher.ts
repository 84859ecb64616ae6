export interface CallBatcherOptions<I, O> {
  /** Handles one batch; resolves with one result per input, in the same order. */
  run: (inputs: I[]) => Promise<O[]>;
  /** Most calls in one batch. */
  maxBatch: number;
  /** Optional weight per call (e.g. body bytes); a batch stops growing once it reaches `maxWeight`. */
  weigh?: (input: I) => number;
  maxWeight?: number;
  /** Batches running at once (default 1). More than one lets a new batch start while one is on the wire. */
  concurrency?: number;
  /**
   * Split the waiting calls evenly over the free batch slots instead of filling one batch first.
   * Under a burst (every client answered at once sends its next request at once) one big batch
   * would leave the other slots idle and move all callers through each stage in lockstep; several
   * smaller batches overlap: one commits while the next is on the wire.
   */
  spread?: boolean;
}

interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns many concurrent calls into few batched ones: calls made while a batch is running (or in the
 * same event-loop turn) go together into the next, so one round trip and one commit serve many
 * callers under load, while a lone call still goes out at once (on the next turn). Each caller gets
 * its own result or the batch's error.
 */
export class CallBatcher<I, O> {
  private readonly pending: Array<Pending<I, O>> = [];
  private running = 0;
  private scheduled = false;

  constructor(private readonly options: CallBatcherOptions<I, O>) {}

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Calls waiting for a batch, for metrics and tests. */
  get waiting(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.scheduled || this.running >= (this.options.concurrency ?? 1)) return;
    this.scheduled = true;
    // setImmediate runs after this turn's I/O callbacks: every request parsed in this turn joins.
    setImmediate(() => {
      this.scheduled = false;
      this.startBatch();
    });
  }

  private startBatch(): void {
    if (this.pending.length === 0 || this.running >= (this.options.concurrency ?? 1)) return;
    const batch = this.pending.splice(0, this.batchLength());
    this.running += 1;
    void this.runBatch(batch).finally(() => {
      this.running -= 1;
      if (this.pending.length > 0) this.schedule();
    });
    if (this.pending.length > 0) this.schedule();
  }

  private batchLength(): number {
    const { weigh, maxWeight = Number.POSITIVE_INFINITY } = this.options;
    const freeSlots = (this.options.concurrency ?? 1) - this.running;
    const maxBatch = this.options.spread
      ? Math.min(this.options.maxBatch, Math.ceil(this.pending.length / Math.max(1, freeSlots)))
      : this.options.maxBatch;
    let weight = 0;
    let count = 0;
    while (count < this.pending.length && count < maxBatch && (count === 0 || weight < maxWeight)) {
      weight += weigh ? weigh((this.pending[count] as Pending<I, O>).input) : 0;
      count += 1;
    }
    return count;
  }

  private async runBatch(batch: Array<Pending<I, O>>): Promise<void> {
    try {
      const outputs = await this.options.run(batch.map((item) => item.input));
      if (outputs.length !== batch.length) throw new Error(`batch of ${batch.length} produced ${outputs.length} results`);
      for (const [index, item] of batch.entries()) item.resolve(outputs[index] as O);
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}
