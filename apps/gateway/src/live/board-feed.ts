import { type BoardSnapshot, type Unsubscribe, liveChannels } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import type { GatewayDeps } from '../deps.js';
import { buildBoard } from '../use-cases/build-board.js';

type BoardListener = (board: BoardSnapshot) => void;

/**
 * One status board shared by every viewer of this gateway: recomputed when a bot event arrives and
 * on a timer (a bot turns stale by the passing of time, with no event), pushed only when it
 * changed. Runs only while someone is watching.
 */
export class BoardFeed {
  private readonly listeners = new Set<BoardListener>();
  private unsubscribe: Unsubscribe | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private last: { board: BoardSnapshot; fingerprint: string } | undefined;

  constructor(
    private readonly deps: Pick<GatewayDeps, 'bots' | 'workers' | 'queue' | 'botStaleAfterMs' | 'events'>,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  /** Adds a viewer and sends it the current board at once. */
  async add(listener: BoardListener): Promise<() => void> {
    this.listeners.add(listener);
    if (this.listeners.size === 1) await this.start();
    const board = this.last?.board ?? (await this.refresh(false));
    if (board) listener(board);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private async start() {
    this.unsubscribe = await this.deps.events.subscribe(liveChannels.bots, () => this.schedule());
    this.timer = setInterval(() => void this.refresh(true), this.intervalMs);
    this.timer.unref();
  }

  private stop() {
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    void this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.last = undefined;
  }

  /** Bursts of heartbeats (one per bot per worker) become one recompute. */
  private schedule() {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.refresh(true);
    }, 50);
  }

  private async refresh(push: boolean): Promise<BoardSnapshot | undefined> {
    try {
      const board = await buildBoard(this.deps);
      const fingerprint = JSON.stringify({ ...board, at: undefined });
      const changed = fingerprint !== this.last?.fingerprint;
      this.last = { board, fingerprint };
      if (push && changed) for (const listener of this.listeners) listener(board);
      return board;
    } catch (error) {
      this.logger.warn({ err: error }, 'status board not refreshed');
      return undefined;
    }
  }

  close() {
    this.listeners.clear();
    this.stop();
  }
}
