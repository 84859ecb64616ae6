import { freePort, TEST_POSTGRES_ADMIN_URL } from '@agent-bot/testing';
import { describe, expect, it } from 'vitest';
import { assertDatabaseReachable } from './assert-reachable.js';
import { createSql } from './create-sql.js';

describe('assertDatabaseReachable', () => {
  it('passes for a running server', async () => {
    const sql = createSql({ url: TEST_POSTGRES_ADMIN_URL, poolSize: 1 });
    await expect(assertDatabaseReachable(sql, TEST_POSTGRES_ADMIN_URL)).resolves.toBeUndefined();
    await sql.end();
  });

  it('names the address, the reason and how to fix it when nothing listens', async () => {
    const url = `postgres://postgres:secret-password@127.0.0.1:${await freePort()}/agentbot`;
    const sql = createSql({ url, poolSize: 1, connectTimeoutSeconds: 2 });
    const error = await assertDatabaseReachable(sql, url).catch((caught: Error) => caught);
    await sql.end();
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/^PostgreSQL is not reachable at 127\.0\.0\.1:\d+\/agentbot \(ECONNREFUSED/);
    expect((error as Error).message).toContain('DATABASE_URL');
    expect((error as Error).message).not.toContain('secret-password');
  });

  it('says when the database does not exist', async () => {
    const url = TEST_POSTGRES_ADMIN_URL.replace(/\/postgres$/, '/agentbot_no_such_database');
    const sql = createSql({ url, poolSize: 1 });
    const error = await assertDatabaseReachable(sql, url).catch((caught: Error) => caught);
    await sql.end();
    expect((error as Error).message).toContain('(3D000: database "agentbot_no_such_database" does not exist)');
  });
});
