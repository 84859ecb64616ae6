import type { AgentEvent, AgentRunInput, AgentRunner } from '@agent-bot/contracts';

/** A runner that logs `lines` steps `delayMs` apart, so a viewer can watch a task's log grow live. */
export class ScriptedLogRunner implements AgentRunner {
  constructor(
    readonly name: string,
    private readonly options: { lines: number; delayMs: number },
  ) {}

  async *run(input: AgentRunInput, signal: AbortSignal): AsyncIterable<AgentEvent> {
    for (let i = 1; i <= this.options.lines; i++) {
      await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
      signal.throwIfAborted();
      yield { kind: 'log', message: `step ${i} of ${this.options.lines}: working on "${input.prompt.slice(0, 40)}"` };
    }
    yield {
      kind: 'result',
      ok: true,
      summary: `done after ${this.options.lines} steps`,
      usage: { inputTokens: 1200, outputTokens: 345, costUsd: 0.0123 },
    };
  }
}
