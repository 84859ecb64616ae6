import type { AgentEvent, AgentRunInput, AgentRunner, TaskUsage } from '@agent-bot/contracts';
import { type Message, Ollama } from 'ollama';
import { WorkdirTools } from './workdir-tools.js';

export interface OllamaRunnerOptions {
  url: string;
  model: string;
  maxTurns: number;
  /** Injected for tests; global fetch otherwise. */
  fetch?: typeof fetch;
}

const SYSTEM_PROMPT = `You are a coding agent working in a git repository. Use the tools to look at files and change
them: list_files, read_file, write_file (whole new content) and search_code. Paths are relative to the
repository root. When the change is done, answer with a short summary of what you changed.`;

type Failure = { errorCode: string; summary: string };

/**
 * A local model through Ollama's official client: a chat loop with tool calls confined to the
 * task's working directory, streaming the answer as `token` events.
 */
export class OllamaRunner implements AgentRunner {
  readonly name = 'ollama';

  constructor(private readonly options: OllamaRunnerOptions) {}

  async *run(input: AgentRunInput, signal: AbortSignal): AsyncIterable<AgentEvent> {
    const model = input.model ?? this.options.model;
    // The client's abort() only reaches streams already answering; a request still waiting for
    // response headers (a hung server) is cut through this controller's signal instead.
    const cut = new AbortController();
    const baseFetch = this.options.fetch ?? fetch;
    const client = new Ollama({
      host: this.options.url,
      fetch: (url, init) =>
        baseFetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, cut.signal]) : cut.signal }),
    });
    const usage: TaskUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0, turns: 0 };
    const fail = (failure: Failure): AgentEvent => ({ kind: 'result', ok: false, usage, model, ...failure });

    const unavailable = await this.checkModel(client, model);
    if (unavailable) {
      yield fail(unavailable);
      return;
    }
    let stop: Failure | undefined;
    const halt = (failure: Failure) => {
      stop ??= failure;
      cut.abort();
      client.abort();
    };
    const timer = setTimeout(
      () =>
        halt({
          errorCode: 'TASK_TIMEOUT',
          summary: `stopped at the time limit of ${Math.round(input.limits.timeoutMs / 1000)} s (TASK_TIMEOUT_SECONDS)`,
        }),
      input.limits.timeoutMs,
    );
    const onAbort = () =>
      halt({ errorCode: 'TASK_ABORTED', summary: `stopped: ${String((signal.reason as Error)?.message ?? 'aborted')}` });
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();

    const tools = input.workdir ? new WorkdirTools(input.workdir, input.searchCode) : undefined;
    const system = [SYSTEM_PROMPT, input.systemPrompt, input.repoMap ? `Repository map:\n${input.repoMap}` : undefined]
      .filter(Boolean)
      .join('\n\n');
    const messages: Message[] = [
      { role: 'system', content: system },
      { role: 'user', content: input.prompt },
    ];
    const maxTurns = input.limits.maxTurns ?? this.options.maxTurns;
    try {
      for (let turn = 0; turn < maxTurns; turn++) {
        if (stop) break;
        usage.turns = turn + 1;
        const stream = await client.chat({ model, messages, tools: tools?.definitions(), stream: true });
        let text = '';
        const calls: { name: string; arguments: Record<string, unknown> }[] = [];
        for await (const chunk of stream) {
          if (chunk.message.content) {
            text += chunk.message.content;
            yield { kind: 'token', token: chunk.message.content };
          }
          for (const call of chunk.message.tool_calls ?? []) calls.push(call.function);
          if (chunk.done) {
            usage.inputTokens += chunk.prompt_eval_count ?? 0;
            usage.outputTokens += chunk.eval_count ?? 0;
          }
        }
        // A turn cut off before its last chunk reported no counts, so none are added for it.
        yield { kind: 'usage', usage: { ...usage } };
        if (text) yield { kind: 'text', text };
        const maxTokens = input.limits.maxTokens;
        if (maxTokens !== undefined && usage.inputTokens + usage.outputTokens > maxTokens) {
          halt({ errorCode: 'TASK_BUDGET_TOKENS', summary: `stopped at the token limit of ${maxTokens} (TASK_MAX_TOKENS)` });
          break;
        }
        messages.push({ role: 'assistant', content: text, tool_calls: calls.map((call) => ({ function: call })) });
        if (calls.length === 0) {
          yield { kind: 'result', ok: true, summary: text.trim() || 'done', usage, model };
          return;
        }
        for (const call of calls) {
          yield { kind: 'tool_call', name: call.name, input: call.arguments };
          const result = tools
            ? await tools.call(call.name, call.arguments ?? {})
            : { ok: false, output: 'no working directory' };
          yield { kind: 'tool_result', name: call.name, ok: result.ok, summary: result.output.slice(0, 300) };
          messages.push({ role: 'tool', content: result.output, tool_name: call.name });
        }
      }
      yield fail(stop ?? { errorCode: 'TASK_MAX_TURNS', summary: `stopped after ${maxTurns} turns without a final answer` });
    } catch (error) {
      yield fail(stop ?? this.describe(error));
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Null when the server answers and has the model; otherwise what the operator must fix. */
  private async checkModel(client: Ollama, model: string): Promise<Failure | null> {
    try {
      await client.show({ model });
      return null;
    } catch (error) {
      const status = (error as { status_code?: number }).status_code;
      if (status === 404) {
        return {
          errorCode: 'RUNNER_UNAVAILABLE',
          summary: `model ${model} is not pulled on the Ollama server at ${this.options.url}: run \`ollama pull ${model}\``,
        };
      }
      return this.describe(error);
    }
  }

  private describe(error: unknown): Failure {
    const status = (error as { status_code?: number }).status_code;
    if (status) return { errorCode: 'MODEL_API_ERROR', summary: `Ollama answered ${status}: ${(error as Error).message}` };
    return {
      errorCode: 'RUNNER_UNAVAILABLE',
      summary: `Ollama is not reachable at ${this.options.url} (${(error as Error).message}); set OLLAMA_URL`,
    };
  }
}
