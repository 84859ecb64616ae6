import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { optionalSecret, urlWithProtocols } from '../env-types.js';

/** PEM from the environment: a .env line often carries `\n` escapes instead of newlines. */
export function normalisePem(value: string): string {
  return value.includes('\\n') && !value.includes('\n') ? value.replace(/\\n/g, '\n') : value;
}

function isPrivateKey(value: string): boolean {
  try {
    createPrivateKey(normalisePem(value));
    return true;
  } catch {
    return false;
  }
}

export const githubEnv = z.object({
  /**
   * The GitHub App's numeric id, for operators who created the app themselves. Leave unset to
   * create it through the manifest flow at PUBLIC_URL/setup (credentials then live encrypted in
   * the database).
   */
  GITHUB_APP_ID: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
    .refine((value) => value === undefined || /^\d+$/.test(value), { message: 'must be the numeric app id' }),
  /** The app's PEM private key (GITHUB_PRIVATE_KEY_FILE for a mounted file); `\n` escapes are accepted. */
  GITHUB_PRIVATE_KEY: optionalSecret.refine((value) => value === undefined || isPrivateKey(value), {
    message: 'must be a PEM private key (-----BEGIN RSA PRIVATE KEY----- ...), as downloaded from the app settings',
  }),
  /**
   * Secret GitHub signs webhook deliveries with (X-Hub-Signature-256). The only declaration: the
   * webhooks section reads it from here. Set, it wins over the secret of an app created at /setup;
   * with neither, GitHub webhooks are refused (401).
   */
  GITHUB_WEBHOOK_SECRET: optionalSecret,
  /** The app's OAuth client id (Iv1.… or Iv23…), for "Sign in with GitHub". */
  GITHUB_CLIENT_ID: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim())),
  /** The app's OAuth client secret. */
  GITHUB_CLIENT_SECRET: optionalSecret,
  /** REST API root: https://api.github.com, GitHub Enterprise Server's https://host/api/v3, or a test stand-in. */
  GITHUB_API_URL: urlWithProtocols(['http:', 'https:']).default('https://api.github.com'),
});

export type GitHubEnv = z.output<typeof githubEnv>;

/** Settings that only make sense together; reported by loadConfig's superRefine. */
export function githubProblems(env: GitHubEnv): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (env.GITHUB_APP_ID !== undefined && env.GITHUB_PRIVATE_KEY === undefined) {
    problems.push({
      path: 'GITHUB_PRIVATE_KEY',
      message: 'is required when GITHUB_APP_ID is set (the app id and private key come together)',
    });
  }
  if (env.GITHUB_PRIVATE_KEY !== undefined && env.GITHUB_APP_ID === undefined) {
    problems.push({
      path: 'GITHUB_APP_ID',
      message: 'is required when GITHUB_PRIVATE_KEY is set (the app id and private key come together)',
    });
  }
  if ((env.GITHUB_CLIENT_ID === undefined) !== (env.GITHUB_CLIENT_SECRET === undefined)) {
    const missing = env.GITHUB_CLIENT_ID === undefined ? 'GITHUB_CLIENT_ID' : 'GITHUB_CLIENT_SECRET';
    problems.push({ path: missing, message: 'is required: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET come together' });
  }
  return problems;
}

export function toGitHubConfig(env: GitHubEnv) {
  const app =
    env.GITHUB_APP_ID !== undefined && env.GITHUB_PRIVATE_KEY !== undefined
      ? {
          appId: env.GITHUB_APP_ID,
          privateKey: normalisePem(env.GITHUB_PRIVATE_KEY),
          webhookSecret: env.GITHUB_WEBHOOK_SECRET,
          clientId: env.GITHUB_CLIENT_ID,
          clientSecret: env.GITHUB_CLIENT_SECRET,
        }
      : undefined;
  return {
    apiUrl: env.GITHUB_API_URL.replace(/\/+$/, ''),
    /** The operator-configured app; undefined when the manifest flow (database) provides it. */
    app,
    /** Set on its own, it verifies webhooks even before an app is configured here. */
    webhookSecret: env.GITHUB_WEBHOOK_SECRET,
  };
}
export type GitHubConfig = ReturnType<typeof toGitHubConfig>;
