import { z } from 'zod';
import { AppError } from '@agent-bot/contracts';
import { dashboardEnv, toDashboardConfig } from './schemas/dashboard.js';
import { agentsEnv, toAgentsConfig } from './schemas/agents.js';
import { databaseEnv, toDatabaseConfig } from './schemas/database.js';
import { githubEnv, githubProblems, toGitHubConfig } from './schemas/github.js';
import { proxyEnv, toProxyConfig } from './schemas/proxy.js';
import { redisEnv, toRedisConfig } from './schemas/redis.js';
import { repliesEnv, repliesProblems, toRepliesConfig } from './schemas/replies.js';
import { securityEnv, toSecurityConfig } from './schemas/security.js';
import { serverEnv, toServerConfig } from './schemas/server.js';
import { toWebhooksConfig, webhooksEnv } from './schemas/webhooks.js';
import { toWorkerConfig, workerEnv } from './schemas/worker.js';
import { resolveSecretFiles } from './secret-files.js';

/** Variables that hold secrets: each also accepts NAME_FILE, and none is ever logged. */
export const SECRET_NAMES = [
  'ADMIN_TOKEN',
  'ENCRYPTION_KEY',
  'ENCRYPTION_KEYS',
  'DATABASE_URL',
  'REDIS_URL',
  'GITHUB_PRIVATE_KEY',
  'GITHUB_WEBHOOK_SECRET',
  'GITHUB_CLIENT_SECRET',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SENTRY_CLIENT_SECRET',
  'JIRA_WEBHOOK_SECRET',
  'JIRA_API_TOKEN',
  'SENTRY_AUTH_TOKEN',
  'ANTHROPIC_API_KEY',
] as const;

const envSchema = z
  .object({
    ...serverEnv.shape,
    ...databaseEnv.shape,
    ...redisEnv.shape,
    ...securityEnv.shape,
    ...workerEnv.shape,
    ...webhooksEnv.shape,
    ...dashboardEnv.shape,
    ...agentsEnv.shape,
    ...githubEnv.shape,
    ...repliesEnv.shape,
    ...proxyEnv.shape,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      for (const name of ['ADMIN_TOKEN', 'ENCRYPTION_KEY'] as const) {
        if (env[name] === undefined) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'is required when NODE_ENV=production' });
        }
      }
    }
    if (env.OLLAMA_MODEL !== undefined && env.OLLAMA_URL === undefined) {
      ctx.addIssue({ code: 'custom', path: ['OLLAMA_URL'], message: 'is required when OLLAMA_MODEL is set' });
    }
    for (const problem of [...githubProblems(env), ...repliesProblems(env)]) {
      ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
    }
    if (env.PORT === env.WORKER_PORT) {
      ctx.addIssue({ code: 'custom', path: ['WORKER_PORT'], message: 'must differ from PORT' });
    }
  });

/** Every variable the schemas read (secrets also accept NAME_FILE); deployment files are checked against it. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * The variables of each concern (AppConfig section), so deployment checks can ask "does the
 * worker container receive every agents setting?" without repeating the lists.
 */
export const CONFIG_GROUPS = {
  server: Object.keys(serverEnv.shape),
  database: Object.keys(databaseEnv.shape),
  redis: Object.keys(redisEnv.shape),
  security: Object.keys(securityEnv.shape),
  worker: Object.keys(workerEnv.shape),
  webhooks: Object.keys(webhooksEnv.shape),
  dashboard: Object.keys(dashboardEnv.shape),
  agents: Object.keys(agentsEnv.shape),
  github: Object.keys(githubEnv.shape),
  proxy: Object.keys(proxyEnv.shape),
  replies: Object.keys(repliesEnv.shape),
} as const satisfies Record<keyof AppConfig, string[]>;

export type AppConfig = ReturnType<typeof toAppConfig>;

function toAppConfig(env: z.output<typeof envSchema>) {
  return {
    server: toServerConfig(env),
    database: toDatabaseConfig(env),
    redis: toRedisConfig(env),
    security: toSecurityConfig(env),
    worker: toWorkerConfig(env),
    webhooks: toWebhooksConfig(env),
    dashboard: toDashboardConfig(env),
    agents: toAgentsConfig(env),
    github: toGitHubConfig(env),
    replies: toRepliesConfig(env),
    proxy: toProxyConfig(env),
  };
}

export class ConfigError extends AppError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('CONFIG_INVALID', `Invalid configuration:\n${problems.map((p) => `  ✖ ${p}`).join('\n')}`, {
      expected: true,
    });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * An empty (or blank) variable means "not set", so its default applies. docker-compose.yml passes
 * every optional setting as `${NAME:-}`, which arrives as an empty string when the operator left it
 * out; without this an empty number would read as 0 and an empty URL would fail validation.
 */
function withoutEmptyValues(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') result[name] = value;
  }
  return result;
}

/**
 * Parses the whole configuration once. Every problem is reported at once, each with the name of
 * its variable, so an operator fixes them in one pass.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const { env: resolved, problems: fileProblems } = resolveSecretFiles(env, SECRET_NAMES);
  const problems = fileProblems.map((p) => `${p.name}: ${p.message}`);
  const parsed = envSchema.safeParse(withoutEmptyValues(resolved));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || '(root)';
      // Never echo a secret's value back: zod messages here do not include input values.
      problems.push(`${name}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return toAppConfig(parsed.data);
}
