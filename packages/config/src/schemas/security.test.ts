import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../load-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('encryption keys at startup', () => {
  it('refuses an ENCRYPTION_KEY that is not 32 bytes, naming the variable and not echoing it', () => {
    const short = randomBytes(16).toString('base64');
    const problems = problemsOf({ ENCRYPTION_KEY: short });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ENCRYPTION_KEY: must be 32 bytes/);
    expect(problems.join('\n')).not.toContain(short);
    expect(problemsOf({ ENCRYPTION_KEY: randomBytes(33).toString('hex') })[0]).toMatch(/^ENCRYPTION_KEY: must be 32 bytes/);
  });

  it('accepts 32 bytes in hex or base64', () => {
    const key = randomBytes(32);
    expect(loadConfig({ ENCRYPTION_KEY: key.toString('hex') }).security.encryptionKey).toEqual(key);
    expect(loadConfig({ ENCRYPTION_KEY: key.toString('base64') }).security.encryptionKey).toEqual(key);
  });

  it('refuses a malformed or wrong-length ENCRYPTION_KEYS entry instead of silently dropping it', () => {
    const good = randomBytes(32).toString('base64');
    expect(problemsOf({ ENCRYPTION_KEYS: `old:${randomBytes(20).toString('base64')}` })[0]).toMatch(
      /^ENCRYPTION_KEYS: must be id:key pairs/,
    );
    expect(problemsOf({ ENCRYPTION_KEYS: good })[0]).toMatch(/^ENCRYPTION_KEYS:/);
    const config = loadConfig({ ENCRYPTION_KEYS: `old:${good}, older:${randomBytes(32).toString('hex')}` });
    expect(config.security.previousEncryptionKeys.map((k) => k.id)).toEqual(['old', 'older']);
  });
});
