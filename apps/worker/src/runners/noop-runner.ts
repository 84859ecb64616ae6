import type { AgentEvent, AgentRunInput, AgentRunner } from '@agent-bot/contracts';

/**
 * A runner that does no agent work: it proves the pipeline end to end (smoke tests, `POST
 * /api/tasks` with runner "noop") and measures the pipeline's own overhead in benchmarks.
 */
export class NoopRunner implements AgentRunner {
  readonly name = 'noop';

  async *run(input: AgentRunInput, signal: AbortSignal): AsyncIterable<AgentEvent> {
    signal.throwIfAborted();
    yield { kind: 'log', message: `noop runner received a ${input.prompt.length}-character prompt` };
    yield {
      kind: 'result',
      ok: true,
      summary: 'noop runner: nothing to do',
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    };
  }
}
