/**
 * Answers a test holds back. The request is handled at once (its effect is on the stand-in's state,
 * as on GitHub) but its answer waits until the test releases it: the caller is then provably
 * inside that call, so a test can act "during" it without sleeping and hoping.
 */
export interface ResponseHold<T> {
  /** Resolves with the first request held. */
  arrived: Promise<T>;
  /** Sends every held answer, and lets later requests through unheld. */
  release(): void;
}

interface Held<T> {
  arrive: (request: T) => void;
  released: Promise<void>;
  release: () => void;
}

export class ResponseHolds<T> {
  private readonly holds = new Map<string, Held<T>>();

  /** Holds the answers to `operation` until released. */
  hold(operation: string): ResponseHold<T> {
    let arrive!: (request: T) => void;
    let open!: () => void;
    const arrived = new Promise<T>((resolve) => {
      arrive = resolve;
    });
    const released = new Promise<void>((resolve) => {
      open = resolve;
    });
    const held: Held<T> = {
      arrive,
      released,
      release: () => {
        if (this.holds.get(operation) === held) this.holds.delete(operation);
        open();
      },
    };
    this.holds.set(operation, held);
    return { arrived, release: held.release };
  }

  /** Waits while `operation` is held; returns at once otherwise. */
  async wait(operation: string | undefined, request: T): Promise<void> {
    const held = operation === undefined ? undefined : this.holds.get(operation);
    if (!held) return;
    held.arrive(request);
    await held.released;
  }

  /** Lets everything through (the stand-in is closing). */
  releaseAll(): void {
    for (const held of [...this.holds.values()]) held.release();
  }
}
