import { describe, expect, it } from 'vitest';
import { loadConfig } from '../load-config.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
});
