import { join } from 'node:path';
import type { AppConfig } from '@agent-bot/config';
import type { AgentRunner } from '@agent-bot/contracts';
import { ClaudeCodeRunner, OllamaRunner } from '@agent-bot/runners';

/**
 * The runners this worker has, from configuration: Claude Code with ANTHROPIC_API_KEY, Ollama with
 * OLLAMA_URL and OLLAMA_MODEL, and always noop. Bots of a runner this worker lacks are not
 * heartbeated here (they show offline) and their messages get a clear error.
 */
export function configuredRunners(
  config: AppConfig,
  noop: AgentRunner,
): { runners: Record<string, AgentRunner>; defaultRunner: string | undefined } {
  const runners: Record<string, AgentRunner> = { noop };
  const { claude, ollama } = config.agents;
  if (claude) {
    runners['claude-code'] = new ClaudeCodeRunner({
      command: claude.bin,
      apiKey: claude.apiKey,
      baseUrl: claude.baseUrl,
      model: claude.model,
      allowedTools: claude.allowedTools,
      maxTurns: claude.maxTurns,
      runsDir: join(config.worker.workspaceDir, 'claude-runs'),
    });
  }
  if (ollama) runners.ollama = new OllamaRunner({ url: ollama.url, model: ollama.model, maxTurns: 20 });
  const defaultRunner = config.agents.defaultRunner ?? (claude ? 'claude-code' : ollama ? 'ollama' : 'noop');
  return { runners, defaultRunner };
}
