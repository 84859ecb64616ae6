import type { AgentEvent, AgentRunInput, AgentRunner } from '@agent-bot/contracts';

/**
 * A stand-in agent that works for as long as its prompt says (`sleep:1500`), so shutdown tests
 * can catch a job mid-run. It stops when its signal aborts, as a real runner must.
 */
export class SleepRunner implements AgentRunner {
  readonly name = 'noop';

  /** `fast` ignores the prompt's duration: the worker that takes over an abandoned job. */
  constructor(private readonly mode: 'slow' | 'fast' = 'slow') {}

  async *run(input: AgentRunInput, signal: AbortSignal): AsyncIterable<AgentEvent> {
    const ms = this.mode === 'fast' ? 0 : Number(/sleep:(\d+)/.exec(input.prompt)?.[1] ?? 0);
    yield { kind: 'log', message: `sleeping ${ms} ms` };
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
    yield { kind: 'result', ok: true, summary: `slept ${ms} ms`, usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } };
  }
}
