import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../load-config.js';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('GitHub configuration', () => {
  it('defaults to api.github.com with no app (the manifest flow provides one)', () => {
    const config = loadConfig({});
    expect(config.github).toEqual({ apiUrl: 'https://api.github.com', app: undefined, webhookSecret: undefined });
  });

  it('takes an operator app from the environment, accepting \\n-escaped PEM and a GHES URL', () => {
    const config = loadConfig({
      GITHUB_APP_ID: '123',
      GITHUB_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
      GITHUB_WEBHOOK_SECRET: 'whsec',
      GITHUB_CLIENT_ID: 'Iv1.abc',
      GITHUB_CLIENT_SECRET: 'csecret',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
    });
    expect(config.github.apiUrl).toBe('https://ghe.example.com/api/v3');
    expect(config.github.app).toEqual({
      appId: '123',
      privateKey: pem,
      webhookSecret: 'whsec',
      clientId: 'Iv1.abc',
      clientSecret: 'csecret',
    });
  });

  it('requires the app id and private key together, and the client id and secret together', () => {
    expect(problemsOf({ GITHUB_APP_ID: '123' })).toEqual([
      'GITHUB_PRIVATE_KEY: is required when GITHUB_APP_ID is set (the app id and private key come together)',
    ]);
    expect(problemsOf({ GITHUB_PRIVATE_KEY: pem })).toEqual([
      'GITHUB_APP_ID: is required when GITHUB_PRIVATE_KEY is set (the app id and private key come together)',
    ]);
    expect(problemsOf({ GITHUB_CLIENT_ID: 'Iv1.abc' })[0]).toMatch(/^GITHUB_CLIENT_SECRET: is required/);
  });

  it('refuses a private key that is not PEM, and an app id that is not numeric, without echoing them', () => {
    const problems = problemsOf({ GITHUB_APP_ID: 'my-app', GITHUB_PRIVATE_KEY: 'not-a-key-value' });
    expect(problems).toContain('GITHUB_APP_ID: must be the numeric app id');
    expect(problems.some((p) => p.startsWith('GITHUB_PRIVATE_KEY: must be a PEM private key'))).toBe(true);
    expect(problems.join('\n')).not.toContain('not-a-key-value');
  });
});
