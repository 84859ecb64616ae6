import { describe, expect, it } from 'vitest';
import { loadConfig } from '../load-config.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

describe('webhooks config', () => {
  it('defaults the handle and label and leaves secrets unset', () => {
    const config = loadConfig({});
    expect(config.webhooks.botHandle).toBe('agent-bot');
    expect(config.webhooks.botLabel).toBe('agent-bot');
    expect(config.webhooks.secrets).toEqual({ github: undefined, slack: undefined, sentry: undefined, jira: undefined });
    expect(config.webhooks.reconcileIntervalMs).toBe(15_000);
  });

  it('drops a leading @, rejects a handle that is not a login, reads secrets from *_FILE', () => {
    expect(loadConfig({ BOT_HANDLE: '@my-bot' }).webhooks.botHandle).toBe('my-bot');
    expect(() => loadConfig({ BOT_HANDLE: 'not a login' })).toThrow(/BOT_HANDLE/);
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'secret'), 'from-file\n');
    const config = loadConfig({ GITHUB_WEBHOOK_SECRET_FILE: join(dir, 'secret'), SLACK_SIGNING_SECRET: 's' });
    expect(config.webhooks.secrets.github).toBe('from-file');
    expect(config.webhooks.secrets.slack).toBe('s');
  });

  it('gives the webhook route and the GitHub App the same GITHUB_WEBHOOK_SECRET, blank as unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'secret'), 'whsec-file\n');
    for (const [env, expected] of [
      [{ GITHUB_WEBHOOK_SECRET: 'whsec' }, 'whsec'],
      [{ GITHUB_WEBHOOK_SECRET_FILE: join(dir, 'secret') }, 'whsec-file'],
      [{ GITHUB_WEBHOOK_SECRET: '   ' }, undefined],
    ] as const) {
      const config = loadConfig({ ...env, GITHUB_APP_ID: '1', GITHUB_PRIVATE_KEY: pem });
      expect([config.webhooks.secrets.github, config.github.webhookSecret, config.github.app?.webhookSecret]).toEqual([
        expected,
        expected,
        expected,
      ]);
    }
    const missing = join(dir, 'absent');
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET_FILE: missing })).toThrow(
      `GITHUB_WEBHOOK_SECRET_FILE: cannot read ${missing} (ENOENT)`,
    );
  });
});
