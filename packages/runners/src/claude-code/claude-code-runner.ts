import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AgentEvent, AgentRunInput, AgentRunner } from '@agent-bot/contracts';
import { execa } from 'execa';
import { describeApiError } from './api-errors.js';
import { buildClaudeEnv } from './claude-env.js';
import { isolationPrefix } from './process-tree.js';
import { scopeAllowedTools } from './scope-tools.js';
import { type ClaudeResultLine, StreamJsonParser, usageOf } from './stream-json.js';

export interface ClaudeCodeRunnerOptions {
  /** The `claude` executable (CLAUDE_BIN). */
  command: string;
  apiKey: string;
  baseUrl?: string;
  model?: string;
  /** Tools the agent may use (CLAUDE_ALLOWED_TOOLS); any other request is refused by the CLI. */
  allowedTools: string[];
  maxTurns: number;
  /** Each run gets `<runsDir>/<task>-<random>/{home,config,tmp}`, removed afterwards. */
  runsDir: string;
  /** API retries inside the CLI; low so 5xx/401 fail the task in seconds, not minutes. */
  maxRetries?: number;
  requestTimeoutMs?: number;
  /** Run under a PID namespace (see isolationPrefix); on by default. */
  isolate?: boolean;
}

type Stop = { code: string; message: string };

/**
 * Runs the Claude Code CLI (`-p`, stream-json) in the task's worktree and turns its output into
 * agent events. Past the time, token or cost limit, or when `signal` aborts, the process tree is
 * killed and the result says which limit stopped it.
 */
export class ClaudeCodeRunner implements AgentRunner {
  readonly name = 'claude-code';

  constructor(private readonly options: ClaudeCodeRunnerOptions) {}

  async *run(input: AgentRunInput, signal: AbortSignal): AsyncIterable<AgentEvent> {
    if (!input.workdir) throw new Error('claude-code needs a working directory');
    const runDir = join(this.options.runsDir, `${input.taskId}-${randomBytes(4).toString('hex')}`);
    const dirs = { home: join(runDir, 'home'), configDir: join(runDir, 'config'), tmpDir: join(runDir, 'tmp') };
    await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));

    const args = this.buildArgs(input);
    const prefix = this.options.isolate === false ? [] : isolationPrefix();
    const [file, ...rest] = [...prefix, this.options.command, ...args] as [string, ...string[]];
    const child = execa(file, rest, {
      cwd: input.workdir,
      env: buildClaudeEnv({
        apiKey: this.options.apiKey,
        baseUrl: this.options.baseUrl,
        ...dirs,
        maxRetries: this.options.maxRetries ?? 1,
        requestTimeoutMs: this.options.requestTimeoutMs ?? 120_000,
        path: process.env.PATH,
      }),
      extendEnv: false,
      // The prompt goes through stdin: it can be long, and argv is visible to every process.
      input: input.prompt,
      reject: false,
      buffer: { stdout: false, stderr: true },
      maxBuffer: { stderr: 1024 * 1024 },
    });

    let stop: Stop | undefined;
    const kill = (reason: Stop) => {
      stop ??= reason;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () =>
        kill({
          code: 'TASK_TIMEOUT',
          message: `stopped at the time limit of ${Math.round(input.limits.timeoutMs / 1000)} s (TASK_TIMEOUT_SECONDS)`,
        }),
      input.limits.timeoutMs,
    );
    const onAbort = () =>
      kill({ code: 'TASK_ABORTED', message: `stopped: ${String((signal.reason as Error)?.message ?? 'aborted')}` });
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();

    const parser = new StreamJsonParser();
    let result: ClaudeResultLine | undefined;
    let model: string | undefined;
    try {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream, crlfDelay: Number.POSITIVE_INFINITY });
      for await (const raw of lines) {
        const parsed = parser.parse(raw);
        model ??= parsed.model;
        for (const event of parsed.events) yield event;
        // Said at once, so what a run spent is known even if it never gets to its result.
        if (parsed.usage) yield { kind: 'usage', usage: parsed.usage };
        if (parsed.result) result = parsed.result;
        if (parsed.apiRetry?.status === 401) kill(describeApiError(401, parsed.apiRetry.detail));
        const maxTokens = input.limits.maxTokens;
        if (maxTokens !== undefined && parser.tokensSoFar > maxTokens) {
          kill({ code: 'TASK_BUDGET_TOKENS', message: `stopped at the token limit of ${maxTokens} (TASK_MAX_TOKENS)` });
        }
      }
      const finished = await child;
      const usage = usageOf(result, parser.usageSoFar());
      if (!result && usage.inputTokens + usage.outputTokens > 0) {
        yield {
          kind: 'log',
          message: `claude ended without a result: ${usage.inputTokens} input and ${usage.outputTokens} output tokens over ${usage.turns ?? 0} model answer(s) are recorded; the CLI prices a run only in its result, so no cost is`,
        };
      }
      yield this.resultEvent({
        result,
        stop,
        usage,
        model,
        exitCode: finished.exitCode,
        stderr: String(finished.stderr ?? ''),
        maxCostUsd: input.limits.maxCostUsd,
      });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (child.exitCode === null) child.kill('SIGKILL');
      await child.catch(() => undefined);
      await rm(runDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private buildArgs(input: AgentRunInput): string[] {
    const args = [
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      // The raw stream events carry each answer's final output tokens (message_delta): a run
      // killed before its result line still knows what it spent.
      '--include-partial-messages',
      '--max-turns',
      String(input.limits.maxTurns ?? this.options.maxTurns),
      '--max-budget-usd',
      String(input.limits.maxCostUsd),
      // Only our own (empty) user settings: a repository's .claude/settings.json could add hooks
      // that run commands, and its .mcp.json servers.
      '--setting-sources',
      'user',
      '--strict-mcp-config',
      '--no-session-persistence',
    ];
    if (this.options.allowedTools.length > 0) {
      args.push('--allowedTools', scopeAllowedTools(this.options.allowedTools, input.workdir ?? '/nonexistent').join(','));
    }
    const model = input.model ?? this.options.model;
    if (model) args.push('--model', model);
    const system = [
      input.systemPrompt,
      input.repoMap ? `Repository map (most referenced definitions first):\n${input.repoMap}` : undefined,
    ]
      .filter(Boolean)
      .join('\n\n');
    if (system) args.push('--append-system-prompt', system);
    return args;
  }

  private resultEvent(state: {
    result: ClaudeResultLine | undefined;
    stop: Stop | undefined;
    usage: ReturnType<typeof usageOf>;
    model: string | undefined;
    exitCode: number | undefined;
    stderr: string;
    maxCostUsd: number;
  }): AgentEvent {
    const { result, stop, usage, model } = state;
    const base = { kind: 'result' as const, usage, sessionId: result?.session_id, model };
    if (stop) return { ...base, ok: false, summary: stop.message, errorCode: stop.code };
    if (!result) {
      const detail = state.stderr.trim().split('\n').slice(-5).join(' ').slice(0, 500) || 'no output';
      return {
        ...base,
        ok: false,
        summary: `claude exited with code ${state.exitCode ?? '?'} without a result: ${detail}`,
        errorCode: 'RUNNER_FAILED',
      };
    }
    if (result.subtype.startsWith('error_max_budget') || usage.costUsd > state.maxCostUsd) {
      return {
        ...base,
        ok: false,
        summary: `stopped at the cost limit of $${state.maxCostUsd} (TASK_MAX_COST_USD)`,
        errorCode: 'TASK_BUDGET_COST',
      };
    }
    if (result.subtype === 'error_max_turns')
      return {
        ...base,
        ok: false,
        summary: `stopped after ${usage.turns ?? '?'} turns (CLAUDE_MAX_TURNS)`,
        errorCode: 'TASK_MAX_TURNS',
      };
    if (result.is_error) {
      const detail = result.result ?? result.errors?.join('; ') ?? result.subtype;
      if (result.api_error_status) {
        const error = describeApiError(result.api_error_status, detail);
        return { ...base, ok: false, summary: error.message, errorCode: error.code };
      }
      if (/not logged in|invalid api key/i.test(detail)) {
        const error = describeApiError(401, detail);
        return { ...base, ok: false, summary: error.message, errorCode: error.code };
      }
      return { ...base, ok: false, summary: `claude failed: ${detail.slice(0, 500)}`, errorCode: 'RUNNER_FAILED' };
    }
    const denied = result.permission_denials?.map((d) => d.tool_name) ?? [];
    const note = denied.length > 0 ? ` (refused tools: ${[...new Set(denied)].join(', ')})` : '';
    return { ...base, ok: true, summary: `${(result.result ?? '').trim() || 'done'}${note}` };
  }
}
