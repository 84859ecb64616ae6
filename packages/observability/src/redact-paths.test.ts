import { describe, expect, it } from 'vitest';
import { redactTokens, redactUrl } from './redact-paths.js';

describe('redactUrl', () => {
  it('replaces sensitive query values and keeps the others', () => {
    const redacted = redactUrl('/auth/github/callback?code=abc123&state=xyz789&page=2');
    expect(redacted).not.toContain('abc123');
    expect(redacted).not.toContain('xyz789');
    expect(redacted).toContain('page=2');
    expect(redacted.startsWith('/auth/github/callback?')).toBe(true);
  });

  it('matches parameter names case-insensitively', () => {
    expect(redactUrl('/x?Access_Token=t0k&CLIENT_SECRET=s3c')).not.toMatch(/t0k|s3c/);
  });

  it('leaves a URL without a query untouched', () => {
    expect(redactUrl('/health')).toBe('/health');
    expect(redactUrl('https://example.com/a/b')).toBe('https://example.com/a/b');
  });
});

describe('redactTokens', () => {
  it('removes GitHub, Anthropic and Slack tokens from free text', () => {
    const tokens = [
      `ghp_${'a'.repeat(36)}`,
      `ghs_${'B1'.repeat(18)}`,
      `github_pat_${'x'.repeat(40)}`,
      'sk-ant-api03-AbCdEfGhIjKlMn',
      'xoxb-1234567890-abcdefghij',
    ];
    const text = `clone https://x-access-token:${tokens[1]}@github.com/o/r.git then ${tokens.join(' and ')}.`;
    const redacted = redactTokens(text);
    for (const token of tokens) expect(redacted).not.toContain(token);
    expect(redacted).toContain('@github.com/o/r.git');
    expect(redacted.match(/\[REDACTED_TOKEN\]/g)).toHaveLength(6);
  });

  it('leaves ordinary text alone', () => {
    const text = 'the ghp prefix and sk-ant alone are not tokens; xoxb- neither';
    expect(redactTokens(text)).toBe(text);
  });
});
