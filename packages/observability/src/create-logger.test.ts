import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { stream, lines, text: () => lines.join('') };
}

const SECRETS = {
  bearer: 'Bearer s3cr3t-bearer-value',
  cookie: 'session=c00kie-value',
  code: 'oauth-c0de-value',
  state: 'oauth-st4te-value',
  token: 'plain-t0ken-value',
  secret: 'webhook-s3cret-value',
  password: 'pa55word-value',
  signature: 'sha256=deadbeefsignature',
  setCookie: 'sid=set-c00kie-value',
  apiKey: 'sk-ant-api03-abcdefghijklmnop',
  privateKey: '-----BEGIN RSA PRIVATE KEY-----',
};

describe('createLogger redaction', () => {
  it('keeps every secret out of a captured log while keeping the rest', async () => {
    const out = capture();
    const logger = createLogger({ name: 'test', destination: out.stream });
    logger.info(
      {
        req: {
          method: 'GET',
          url: '/oauth/callback',
          headers: {
            authorization: SECRETS.bearer,
            cookie: SECRETS.cookie,
            'x-hub-signature-256': SECRETS.signature,
            'user-agent': 'GitHub-Hookshot',
          },
          query: { code: SECRETS.code, state: SECRETS.state, page: '2' },
        },
        res: { headers: { 'set-cookie': SECRETS.setCookie } },
      },
      'request',
    );
    logger.info({ headers: { authorization: SECRETS.bearer, cookie: SECRETS.cookie } }, 'outgoing');
    logger.info({ upstream: { headers: { authorization: SECRETS.bearer } } }, 'nested');
    logger.info({ error: { request: { headers: { authorization: SECRETS.bearer } } } }, 'octokit error');
    logger.info({ token: SECRETS.token, installation: { token: SECRETS.token } }, 'tokens');
    logger.info({ secret: SECRETS.secret, github: { webhookSecret: SECRETS.secret, clientSecret: SECRETS.secret } }, 'secrets');
    logger.info({ db: { password: SECRETS.password }, anthropic: { apiKey: SECRETS.apiKey } }, 'credentials');
    logger.info(
      { app: { privateKey: SECRETS.privateKey }, config: { adminToken: SECRETS.token, encryptionKey: SECRETS.secret } },
      'config',
    );
    logger.info({ authorization: SECRETS.bearer, cookie: SECRETS.cookie, oauthCode: SECRETS.code }, 'top level');
    logger.flush();

    const text = out.text();
    for (const [name, value] of Object.entries(SECRETS)) expect(text, `${name} leaked`).not.toContain(value);
    expect(out.lines).toHaveLength(9);
    const first = JSON.parse(out.lines[0] as string);
    expect(first.req.headers['user-agent']).toBe('GitHub-Hookshot');
    expect(first.req.query.page).toBe('2');
    expect(first.req.headers.authorization).toBe('[Redacted]');
    expect(first.level).toBe('info');
    expect(first.service).toBe('test');
  });

  it('honours the level', () => {
    const out = capture();
    const logger = createLogger({ name: 'test', level: 'warn', destination: out.stream });
    logger.info('hidden');
    logger.warn('shown');
    logger.flush();
    expect(out.lines.map((line) => JSON.parse(line).msg)).toEqual(['shown']);
  });
});
