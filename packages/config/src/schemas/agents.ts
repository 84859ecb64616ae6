import { z } from 'zod';
import { envBoolean, envPositiveInt, optionalSecret, urlWithProtocols } from '../env-types.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export const agentsEnv = z.object({
  /** Enables the Claude Code runner. Never passed to git, logs or job payloads; only to the CLI. */
  ANTHROPIC_API_KEY: optionalSecret,
  /** Messages API base URL (a proxy, or a local stand-in in tests); the CLI's default when unset. */
  ANTHROPIC_BASE_URL: urlWithProtocols(['http:', 'https:']).optional(),
  /** Model for Claude Code; the CLI's default when unset. */
  CLAUDE_MODEL: optionalText,
  /** Tools the CLI may use without asking, comma separated. Others are refused (never skip-permissions). */
  CLAUDE_ALLOWED_TOOLS: z.string().default('Read,Write,Edit,Glob,Grep,LS'),
  /** Most model turns per task. */
  CLAUDE_MAX_TURNS: envPositiveInt.max(500).default(30),
  /**
   * Run the CLI in its own PID namespace (util-linux `unshare`), so a kill at a limit ends every
   * process it started. Needs root or unprivileged user namespaces; turn off only where neither exists.
   */
  CLAUDE_PID_NAMESPACE: envBoolean.default(true),
  /** Path of the `claude` executable; found on PATH when unset. */
  CLAUDE_BIN: optionalText,
  /** Ollama server; with OLLAMA_MODEL enables the Ollama runner. */
  OLLAMA_URL: urlWithProtocols(['http:', 'https:']).optional(),
  /** Model Ollama runs (must be pulled on that server). */
  OLLAMA_MODEL: optionalText,
  /** Runner for tasks that name none: claude-code, ollama or noop. The first configured one when unset. */
  DEFAULT_RUNNER: z.enum(['claude-code', 'ollama', 'noop']).optional(),
  /** Per-task limit on model tokens (input + output). */
  TASK_MAX_TOKENS: envPositiveInt.default(2_000_000),
  /** Monthly cost limit per installation in US dollars; tasks over it are refused. 0 = no limit. */
  INSTALLATION_MONTHLY_BUDGET_USD: z.coerce.number().min(0).default(0),
  /** Open pull requests as drafts. */
  PULL_REQUEST_DRAFT: envBoolean.default(false),
  /**
   * A running task whose heartbeat is older than this is marked stalled; one that started publishing
   * only once its job can no longer be taken over by another worker. Also how long a worker has to
   * tell a task's ending after settling it before the ending sweep tells it (docs/pipeline.md).
   */
  TASK_STALL_SECONDS: envPositiveInt.default(300),
  /** Where git fetches repositories from and pushes to (GitHub Enterprise, or file:// in tests). */
  GIT_BASE_URL: urlWithProtocols(['https:', 'http:', 'file:']).default('https://github.com'),
  /** Largest repository (packed objects) a task may fetch, in MB. */
  WORKSPACE_MAX_REPO_MB: envPositiveInt.default(2048),
  /** Most files a checked-out commit may hold. */
  WORKSPACE_MAX_FILES: envPositiveInt.default(200_000),
  /** Token budget of the repository map put into the agent's prompt. */
  REPO_MAP_TOKENS: envPositiveInt.default(2000),
});

export function toAgentsConfig(env: z.output<typeof agentsEnv>) {
  return {
    claude: env.ANTHROPIC_API_KEY
      ? {
          apiKey: env.ANTHROPIC_API_KEY,
          baseUrl: env.ANTHROPIC_BASE_URL,
          model: env.CLAUDE_MODEL,
          allowedTools: env.CLAUDE_ALLOWED_TOOLS.split(',')
            .map((tool) => tool.trim())
            .filter(Boolean),
          maxTurns: env.CLAUDE_MAX_TURNS,
          bin: env.CLAUDE_BIN ?? 'claude',
          pidNamespace: env.CLAUDE_PID_NAMESPACE,
        }
      : undefined,
    ollama: env.OLLAMA_URL && env.OLLAMA_MODEL ? { url: env.OLLAMA_URL, model: env.OLLAMA_MODEL } : undefined,
    defaultRunner: env.DEFAULT_RUNNER,
    maxTokens: env.TASK_MAX_TOKENS,
    installationMonthlyBudgetUsd: env.INSTALLATION_MONTHLY_BUDGET_USD,
    pullRequestDraft: env.PULL_REQUEST_DRAFT,
    stallMs: env.TASK_STALL_SECONDS * 1000,
    gitBaseUrl: env.GIT_BASE_URL,
    maxRepoBytes: env.WORKSPACE_MAX_REPO_MB * 1024 * 1024,
    maxFiles: env.WORKSPACE_MAX_FILES,
    repoMapTokens: env.REPO_MAP_TOKENS,
  };
}
export type AgentsConfig = ReturnType<typeof toAgentsConfig>;
