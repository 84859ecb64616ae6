import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEvent, AgentRunInput, AgentRunner } from '@agent-bot/contracts';

/**
 * A stand-in agent that changes files in its worktree, then waits at a gate before it reports its
 * result: a test acts while the agent is done but nothing is published yet, then opens the gate.
 * It stops when its signal aborts, as a real runner must.
 */
export class GatedRunner implements AgentRunner {
  readonly name = 'noop';
  /** Resolves when the files are written and the runner waits at the gate. */
  readonly reached: Promise<void>;
  private arrive!: () => void;
  private openGate!: () => void;
  private readonly gate: Promise<void>;

  /**
   * `failure`: the agent reports this failure at the gate instead of success (its files stay
   * written, as a real agent's would).
   */
  constructor(
    private readonly files: Record<string, string>,
    private readonly failure?: { errorCode: string; summary: string },
  ) {
    this.reached = new Promise((resolve) => {
      this.arrive = resolve;
    });
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
  }

  /** Lets the runner report its result. */
  open(): void {
    this.openGate();
  }

  async *run(input: AgentRunInput, signal: AbortSignal): AsyncIterable<AgentEvent> {
    for (const [path, content] of Object.entries(this.files)) {
      if (input.workdir) await writeFile(join(input.workdir, path), content);
    }
    yield { kind: 'tool_result', name: 'Write', ok: true, summary: Object.keys(this.files).join(', ') };
    this.arrive();
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.gate.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
    const usage = { inputTokens: 10, outputTokens: 5, costUsd: 0.001 };
    if (this.failure) {
      yield { kind: 'result', ok: false, summary: this.failure.summary, errorCode: this.failure.errorCode, usage };
      return;
    }
    yield { kind: 'result', ok: true, summary: `Changed ${Object.keys(this.files).join(', ')}.`, usage };
  }
}
