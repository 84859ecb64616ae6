/**
 * The CLI's environment, built from scratch (an allowlist): nothing of the worker's own environment
 * (DATABASE_URL, REDIS_URL, ENCRYPTION_KEY, GitHub credentials) reaches the agent or the commands
 * its Bash tool runs. HOME, config dir and TMPDIR are the task's own, so no run sees another's.
 */
export function buildClaudeEnv(input: {
  apiKey: string;
  baseUrl?: string;
  home: string;
  configDir: string;
  tmpDir: string;
  maxRetries: number;
  requestTimeoutMs: number;
  path?: string;
}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: input.path ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: input.home,
    CLAUDE_CONFIG_DIR: input.configDir,
    TMPDIR: input.tmpDir,
    LANG: 'C.UTF-8',
    ANTHROPIC_API_KEY: input.apiKey,
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // The CLI retries 5xx/529/401 ten times over minutes by default; a task should fail fast instead.
    CLAUDE_CODE_MAX_RETRIES: String(input.maxRetries),
    API_TIMEOUT_MS: String(input.requestTimeoutMs),
    CI: '1',
  };
  if (input.baseUrl) env.ANTHROPIC_BASE_URL = input.baseUrl;
  return env;
}
