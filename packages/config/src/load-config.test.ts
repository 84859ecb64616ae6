import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envBoolean } from './env-types.js';
import { CONFIG_GROUPS, CONFIG_VARIABLES, ConfigError, loadConfig } from './load-config.js';

const HEX_KEY = 'ab'.repeat(32);
const BASE64_KEY = Buffer.alloc(32, 7).toString('base64');
const ADMIN = 'a'.repeat(32);

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw');
}

const dir = mkdtempSync(join(tmpdir(), 'agentbot-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.server.port).toBe(8080);
    expect(config.server.workerPort).toBe(8081);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/agentbot');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.server.production).toBe(false);
    expect(config.security.adminToken).toBeUndefined();
  });

  it('reads an empty variable as unset, so optional docker compose interpolations keep the defaults', () => {
    const empty = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, '']));
    expect(loadConfig(empty)).toEqual(loadConfig({}));
    const blank = loadConfig({ TASK_MAX_TOKENS: ' ', GITHUB_API_URL: '', DEFAULT_RUNNER: '', CLAUDE_ALLOWED_TOOLS: '' });
    expect(blank.agents.maxTokens).toBe(2_000_000);
    expect(blank.github.apiUrl).toBe('https://api.github.com');
    expect(blank.agents.defaultRunner).toBeUndefined();
  });

  it('declares every variable in exactly one concern (merged schemas would let a second declaration silently win)', () => {
    const concerns = new Map<string, string[]>();
    for (const [concern, names] of Object.entries(CONFIG_GROUPS)) {
      for (const name of names) concerns.set(name, [...(concerns.get(name) ?? []), concern]);
    }
    expect([...concerns].filter(([, declaredIn]) => declaredIn.length > 1)).toEqual([]);
  });

  it('lists every problem at once, each by variable name', () => {
    const problems = problemsOf({ REDIS_URL: 'nonsense', PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    const names = problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(expect.arrayContaining(['REDIS_URL', 'PORT', 'DATABASE_URL', 'LOG_LEVEL']));
    expect(problems.length).toBeGreaterThanOrEqual(4);
    const message = (() => {
      try {
        loadConfig({ REDIS_URL: 'nonsense', PORT: 'abc' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain('REDIS_URL');
    expect(message).toContain('PORT');
    expect((message.match(/✖/g) ?? []).length).toBe(2);
  });

  it('rejects out-of-range ports and a worker port equal to the gateway port', () => {
    expect(problemsOf({ PORT: '70000' }).join('\n')).toMatch(/^PORT: must be between 1 and 65535/m);
    expect(problemsOf({ PORT: '9000', WORKER_PORT: '9000' }).join('\n')).toMatch(/^WORKER_PORT: must differ from PORT/m);
  });

  it('parses numbers and URLs it accepts', () => {
    const config = loadConfig({
      PORT: '9001',
      WORKER_CONCURRENCY: '5',
      WORKER_DRAIN_SECONDS: '7',
      PUBLIC_URL: 'https://bot.example.com/',
    });
    expect(config.server.port).toBe(9001);
    expect(config.worker.concurrency).toBe(5);
    expect(config.worker.drainMs).toBe(7000);
    expect(config.server.publicUrl).toBe('https://bot.example.com');
  });

  it('defaults PUBLIC_URL to localhost on PORT, so changing only PORT keeps the WebSocket origin right', () => {
    expect(loadConfig({}).server.publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PORT: '9090' }).server.publicUrl).toBe('http://localhost:9090');
    // Empty (as .env.example and docker-compose.yml leave it) means unset.
    expect(loadConfig({ PORT: '9090', PUBLIC_URL: '' }).server.publicUrl).toBe('http://localhost:9090');
    expect(loadConfig({ PORT: '9090', PUBLIC_URL: 'https://bot.example.com' }).server.publicUrl).toBe('https://bot.example.com');
  });

  describe('NAME_FILE secrets', () => {
    it('reads the secret from the file, dropping one trailing newline', () => {
      const path = join(dir, 'admin');
      writeFileSync(path, `${ADMIN}\n`);
      expect(loadConfig({ ADMIN_TOKEN_FILE: path }).security.adminToken).toBe(ADMIN);
    });

    it('refuses both NAME and NAME_FILE set', () => {
      const path = join(dir, 'admin2');
      writeFileSync(path, ADMIN);
      const problems = problemsOf({ ADMIN_TOKEN: ADMIN, ADMIN_TOKEN_FILE: path });
      expect(problems).toEqual([expect.stringMatching(/^ADMIN_TOKEN_FILE: set either ADMIN_TOKEN or ADMIN_TOKEN_FILE/)]);
    });

    it('reports an unreadable file by name together with other problems', () => {
      const missing = join(dir, 'does-not-exist');
      const problems = problemsOf({ ENCRYPTION_KEY_FILE: missing, PORT: 'abc' });
      expect(problems).toContainEqual(`ENCRYPTION_KEY_FILE: cannot read ${missing} (ENOENT)`);
      expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
    });

    it('validates the value read from the file like a direct value', () => {
      const path = join(dir, 'short-key');
      writeFileSync(path, 'tooshort');
      expect(problemsOf({ ENCRYPTION_KEY_FILE: path }).join('\n')).toMatch(/^ENCRYPTION_KEY: must be 32 bytes/m);
    });

    it('reports a directory given as a secret file', () => {
      expect(problemsOf({ ADMIN_TOKEN_FILE: dir }).join('\n')).toMatch(/^ADMIN_TOKEN_FILE: cannot read .* \(EISDIR\)/m);
    });
  });

  describe('booleans', () => {
    it.each([
      ['false', false],
      ['0', false],
      ['no', false],
      ['off', false],
      ['FALSE', false],
      ['true', true],
      ['1', true],
      ['yes', true],
      ['on', true],
    ])('"%s" is %s', (raw, expected) => {
      expect(envBoolean.parse(raw)).toBe(expected);
    });

    it('rejects anything else', () => {
      expect(envBoolean.safeParse('maybe').success).toBe(false);
    });
  });

  describe('production', () => {
    it('requires ADMIN_TOKEN and ENCRYPTION_KEY', () => {
      const problems = problemsOf({ NODE_ENV: 'production' });
      expect(problems).toEqual(
        expect.arrayContaining([
          'ADMIN_TOKEN: is required when NODE_ENV=production',
          'ENCRYPTION_KEY: is required when NODE_ENV=production',
        ]),
      );
    });

    it('treats an empty secret as missing', () => {
      expect(problemsOf({ NODE_ENV: 'production', ADMIN_TOKEN: '  ', ENCRYPTION_KEY: HEX_KEY })).toEqual([
        'ADMIN_TOKEN: is required when NODE_ENV=production',
      ]);
    });

    it('starts with both set', () => {
      const config = loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: ADMIN, ENCRYPTION_KEY: HEX_KEY });
      expect(config.server.production).toBe(true);
      expect(config.security.encryptionKey?.length).toBe(32);
    });
  });

  describe('ENCRYPTION_KEY', () => {
    it('accepts 64 hex characters and 32-byte base64', () => {
      expect(loadConfig({ ENCRYPTION_KEY: HEX_KEY }).security.encryptionKey?.equals(Buffer.from(HEX_KEY, 'hex'))).toBe(true);
      expect(loadConfig({ ENCRYPTION_KEY: BASE64_KEY }).security.encryptionKey?.equals(Buffer.alloc(32, 7))).toBe(true);
    });

    it.each([
      ['16 bytes of base64', Buffer.alloc(16, 1).toString('base64')],
      ['33 bytes of base64', Buffer.alloc(33, 1).toString('base64')],
      ['62 hex characters', 'ab'.repeat(31)],
      ['not base64 at all', 'this is not a key!'],
    ])('refuses %s without echoing the value', (_label, value) => {
      const problems = problemsOf({ ENCRYPTION_KEY: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^ENCRYPTION_KEY: must be 32 bytes/);
      expect(problems[0]).not.toContain(value);
    });

    it('parses rotation keys', () => {
      const config = loadConfig({ ENCRYPTION_KEY: HEX_KEY, ENCRYPTION_KEYS: `old:${BASE64_KEY}` });
      expect(config.security.previousEncryptionKeys).toEqual([{ id: 'old', key: Buffer.alloc(32, 7) }]);
    });
  });

  it('refuses a short ADMIN_TOKEN', () => {
    expect(problemsOf({ ADMIN_TOKEN: 'short' })).toEqual([expect.stringMatching(/^ADMIN_TOKEN: must be at least 24 characters/)]);
  });
});
