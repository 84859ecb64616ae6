import { type AgentRunner, PermanentJobError } from '@agent-bot/contracts';

/** What an operator sets on the workers to enable each runner, so an unavailable runner names its fix. */
const ENABLED_BY: Record<string, string> = {
  'claude-code': 'set ANTHROPIC_API_KEY on the workers',
  ollama: 'set OLLAMA_URL and OLLAMA_MODEL on the workers',
};

/** Picks a task's runner by name from those this worker has configured. */
export function createRunnerResolver(runners: Record<string, AgentRunner>, defaultRunner: string | undefined) {
  return (name: string | null): AgentRunner => {
    const wanted = name ?? defaultRunner;
    if (!wanted) {
      throw new PermanentJobError(
        'RUNNER_UNAVAILABLE',
        'no agent runner is configured: set ANTHROPIC_API_KEY (Claude Code) or OLLAMA_URL and OLLAMA_MODEL (Ollama)',
      );
    }
    const runner = runners[wanted];
    if (!runner) {
      throw new PermanentJobError(
        'RUNNER_UNAVAILABLE',
        `runner "${wanted}" is not available on this worker (available: ${Object.keys(runners).join(', ') || 'none'})` +
          (ENABLED_BY[wanted] ? `: ${ENABLED_BY[wanted]}` : ''),
      );
    }
    return runner;
  };
}
