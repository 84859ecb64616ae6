import { AppError, type AgentRunInput, type AgentRunner, type TaskUsage } from '@agent-bot/contracts';
import type { TaskReporter } from './task-reporter.js';

export interface RunnerOutcome {
  ok: boolean;
  summary: string;
  usage: TaskUsage;
  errorCode?: string;
  model?: string;
  sessionId?: string;
}

export interface ConsumeHooks {
  /** A step worth showing on the tracking comment. */
  onStep?: (text: string) => void;
  /**
   * What the run has spent so far, each time the runner says: if the run then throws or ends
   * without a result (a crash, a broken stream, a log write that failed), this is the attempt's usage.
   */
  onUsage?: (usage: TaskUsage) => void;
}

/** Drives a runner to its result, recording every event on the task's log. */
export async function consumeRunner(
  runner: AgentRunner,
  input: AgentRunInput,
  reporter: TaskReporter,
  signal: AbortSignal,
  hooks: ConsumeHooks = {},
): Promise<RunnerOutcome> {
  const { onStep, onUsage } = hooks;
  for await (const event of runner.run(input, signal)) {
    switch (event.kind) {
      case 'usage':
        // Before anything that can throw: the spend is known even if the next log write fails.
        onUsage?.(event.usage);
        break;
      case 'log':
        await reporter.log('agent.log', event.message);
        break;
      case 'text':
        await reporter.log('agent.text', event.text);
        break;
      case 'token':
        // Tokens are streamed live only; the full text is recorded once as `agent.text`.
        await reporter.token(event.token);
        break;
      case 'tool_call':
        await reporter.log('agent.tool_call', event.name, { input: event.input });
        break;
      case 'tool_result':
        await reporter.log('agent.tool_result', `${event.name}: ${event.summary}`, { ok: event.ok });
        if (event.ok && /^(Write|Edit|MultiEdit|write_file)$/.test(event.name)) onStep?.(`Agent changed files (${event.name})`);
        break;
      case 'result':
        onUsage?.(event.usage);
        return {
          ok: event.ok,
          summary: event.summary,
          usage: event.usage,
          errorCode: event.errorCode,
          model: event.model,
          sessionId: event.sessionId,
        };
      default: {
        const exhaustive: never = event;
        throw new Error(`unhandled agent event ${JSON.stringify(exhaustive)}`);
      }
    }
  }
  throw new AppError('RUNNER_FAILED', `runner ${runner.name} ended without a result`);
}
