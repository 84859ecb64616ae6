import type { AgentEvent, AgentRunInput, AgentRunner } from '@agent-bot/contracts';

/**
 * A runner that streams a scripted answer token by token, standing in for a model server in tests
 * (the real Ollama runner and its stand-in live in packages/runners and packages/testing once merged).
 * The answer echoes the last user line so tests can tell replies to different messages apart.
 */
export class StreamingTestRunner implements AgentRunner {
  constructor(
    readonly name: string,
    private readonly options: { tokenDelayMs?: number; words?: number; unreachableUrl?: string } = {},
  ) {}

  async *run(input: AgentRunInput, signal: AbortSignal): AsyncIterable<AgentEvent> {
    if (this.options.unreachableUrl) {
      yield {
        kind: 'result',
        ok: false,
        summary: `Ollama is not reachable at ${this.options.unreachableUrl}: is it running? (connect ECONNREFUSED)`,
        usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
        errorCode: 'RUNNER_UNAVAILABLE',
      };
      return;
    }
    const lastUser =
      input.prompt
        .split('\n')
        .filter((line) => line.startsWith('User: '))
        .at(-1) ?? 'User: ';
    const words = ['You', 'said:', ...lastUser.slice('User: '.length).split(/\s+/)];
    for (const word of words.slice(0, this.options.words ?? 50)) {
      signal.throwIfAborted();
      if (this.options.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.tokenDelayMs));
      yield { kind: 'token', token: `${word} ` };
    }
    yield {
      kind: 'result',
      ok: true,
      summary: 'streamed',
      usage: { inputTokens: input.prompt.length, outputTokens: words.length, costUsd: 0 },
    };
  }
}
