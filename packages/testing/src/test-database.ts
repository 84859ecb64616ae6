import { randomBytes } from 'node:crypto';
import { createSql, migrate, type Sql } from '@agent-bot/db';

/** The shared local PostgreSQL (trust auth); each test file gets its own database on it. */
export const TEST_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/** Creates a fresh database (migrated unless told otherwise), so test files never share rows. */
export async function createTestDatabase(options: { migrate?: boolean; adminUrl?: string } = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? TEST_POSTGRES_ADMIN_URL;
  const name = `agentbot_t_${randomBytes(6).toString('hex')}`;
  const admin = createSql({ url: adminUrl, poolSize: 1 });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = createSql({ url: url.toString(), poolSize: 4 });
  if (options.migrate !== false) await migrate(sql);
  return {
    name,
    url: url.toString(),
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const cleanup = createSql({ url: adminUrl, poolSize: 1 });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}
