import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../plugins/session.js';
import { TEST_ADMIN_TOKEN, type TestGateway, createTestGateway } from '../../../test-support/test-gateway.js';

describe('sessions', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await createTestGateway();
  });
  afterAll(async () => {
    await gateway.close();
  });

  function sessionCookie(setCookie: string | string[] | undefined): string {
    const header = [setCookie ?? []].flat().find((value) => value.startsWith(`${SESSION_COOKIE}=`));
    if (!header) throw new Error('no session cookie set');
    return header.split(';')[0] as string;
  }

  it('refuses a wrong admin token with a JSON error code and sets no cookie', async () => {
    const response = await gateway.app.inject({ method: 'POST', url: '/api/session', payload: { token: 'wrong-token' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('INVALID_ADMIN_TOKEN');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('signs in with the admin token, then the cookie alone authorises API calls, until sign-out', async () => {
    const signIn = await gateway.app.inject({ method: 'POST', url: '/api/session', payload: { token: TEST_ADMIN_TOKEN } });
    expect(signIn.statusCode).toBe(200);
    const rawCookie = [signIn.headers['set-cookie']].flat().join(';');
    expect(rawCookie).toContain('HttpOnly');
    expect(rawCookie).toContain('SameSite=Lax');
    const cookie = sessionCookie(signIn.headers['set-cookie']);

    const me = await gateway.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(me.json().principal).toEqual({ kind: 'admin', id: 'admin', login: 'admin' });
    const tasks = await gateway.app.inject({ method: 'GET', url: '/api/tasks', headers: { cookie } });
    expect(tasks.statusCode).toBe(200);

    // Only the hash of the token is stored.
    const token = cookie.split('=')[1] as string;
    const rows = await gateway.db.sql`select token_hash from sessions`;
    expect(rows.map((row) => row.token_hash)).not.toContain(token);

    const signOut = await gateway.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    expect(signOut.statusCode).toBe(204);
    const after = await gateway.app.inject({ method: 'GET', url: '/api/tasks', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('rejects anonymous and forged-cookie requests to the API', async () => {
    const anonymous = await gateway.app.inject({ method: 'GET', url: '/api/tasks' });
    expect(anonymous.statusCode).toBe(401);
    const forged = await gateway.app.inject({
      method: 'GET',
      url: '/api/tasks',
      headers: { cookie: `${SESSION_COOKIE}=${'x'.repeat(43)}` },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('accepts the admin bearer token for scripts', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { prompt: 'hello', runner: 'noop' },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json().enqueued).toBe(true);
  });
});
