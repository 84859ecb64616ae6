import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../load-config.js';

describe('replies config', () => {
  it('has a Slack channel for slash commands and no Jira or Sentry channel by default', () => {
    const { replies } = loadConfig({});
    expect(replies).toEqual({
      slack: { apiUrl: 'https://slack.com/api', botToken: undefined },
      jira: undefined,
      sentry: undefined,
    });
  });

  it('configures each provider from its variables, secrets also from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replies-config-'));
    try {
      writeFileSync(join(dir, 'jira'), 'jira-token\n');
      writeFileSync(join(dir, 'sentry'), 'sntrys_x\n');
      const { replies } = loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
        JIRA_BASE_URL: 'https://acme.atlassian.net/',
        JIRA_EMAIL: ' bot@acme.test ',
        JIRA_API_TOKEN_FILE: join(dir, 'jira'),
        SENTRY_AUTH_TOKEN_FILE: join(dir, 'sentry'),
      });
      expect(replies).toEqual({
        slack: { apiUrl: 'http://127.0.0.1:9/api', botToken: 'xoxb-1' },
        jira: { baseUrl: 'https://acme.atlassian.net', email: 'bot@acme.test', apiToken: 'jira-token' },
        sentry: { apiUrl: 'https://sentry.io', authToken: 'sntrys_x' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the Jira settings that are missing when only some are set, never echoing the token', () => {
    let error: unknown;
    try {
      loadConfig({ JIRA_API_TOKEN: 'jira-secret-value', JIRA_BASE_URL: 'not a url' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toContain('JIRA_BASE_URL: must be a URL starting with http:// or https://');
    expect(problems.some((p) => p.startsWith('JIRA_EMAIL: is required when'))).toBe(true);
    expect((error as ConfigError).message).not.toContain('jira-secret-value');
  });
});
