import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createSql } from './create-sql.js';
import { currentSchemaVersion, DEFAULT_MIGRATIONS_DIR, expectedSchemaVersion, migrate, readMigrations } from './migrate.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrate: false });
  cleanups.push(() => db.drop());
  return db;
}

async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agentbot-migrations-'));
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('migrate', () => {
  it('creates the whole schema on a fresh database and records the version', async () => {
    const db = await freshDatabase();
    expect(await currentSchemaVersion(db.sql)).toBe(0);
    const shipped = await readMigrations();
    const result = await migrate(db.sql);
    expect(result.applied).toEqual(shipped.map((m) => m.name));
    expect(result.version).toBe(await expectedSchemaVersion());
    expect(await currentSchemaVersion(db.sql)).toBe(result.version);
    const tables = await db.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'installations',
        'deliveries',
        'tasks',
        'task_events',
        'bots',
        'chat_messages',
        'schema_migrations',
      ]),
    );
    const [index] = await db.sql`select 1 from pg_indexes where indexname = 'chat_messages_bot_idx'`;
    expect(index).toBeDefined();
  });

  it('does nothing on a second run', async () => {
    const db = await freshDatabase();
    await migrate(db.sql);
    const [before] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
    const second = await migrate(db.sql);
    expect(second.applied).toEqual([]);
    expect(second.version).toBe(await expectedSchemaVersion());
    const [after] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
    expect(after?.n).toBe(before?.n);
  });

  it('applies each migration exactly once when two runners start at the same moment', async () => {
    const db = await freshDatabase();
    const other = createSql({ url: db.url, poolSize: 2 });
    cleanups.push(() => other.end({ timeout: 5 }));
    const [a, b] = await Promise.all([migrate(db.sql), migrate(other)]);
    const shipped = (await readMigrations()).map((m) => m.name);
    // One runner applied everything; the other waited for the lock and found nothing to do.
    expect([...a.applied, ...b.applied].sort()).toEqual(shipped.sort());
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, shipped.length]);
    const rows = await db.sql<{ version: number }[]>`select version from schema_migrations order by version`;
    expect(rows).toHaveLength(shipped.length);
  });

  it('applies a new migration file on top of an applied schema', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy();
    await migrate(db.sql, { dir });
    await writeFile(join(dir, '9999_extra.sql'), 'create table extra_test (id int primary key);');
    const result = await migrate(db.sql, { dir });
    expect(result.applied).toEqual(['9999_extra']);
    expect(await currentSchemaVersion(db.sql)).toBe(9999);
  });

  it('refuses a migration that changed after it was applied, and applies nothing else', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy();
    await migrate(db.sql, { dir });
    const [first] = await readMigrations(dir);
    await writeFile(join(dir, `${first?.name}.sql`), `${first?.sql}\n-- edited\n`);
    await writeFile(join(dir, '9999_extra.sql'), 'create table extra_test (id int primary key);');
    await expect(migrate(db.sql, { dir })).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      message: expect.stringContaining(`${first?.name} was changed after it was applied`),
    });
    const [extra] = await db.sql`select 1 from information_schema.tables where table_name = 'extra_test'`;
    expect(extra).toBeUndefined();
  });

  it('rolls back a failing migration completely', async () => {
    const db = await freshDatabase();
    const dir = await migrationsCopy();
    await writeFile(join(dir, '9999_broken.sql'), 'create table half_done (id int); select * from no_such_table;');
    await expect(migrate(db.sql, { dir })).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
    expect(await currentSchemaVersion(db.sql)).toBe(0);
    const [half] = await db.sql`select 1 from information_schema.tables where table_name = 'half_done'`;
    expect(half).toBeUndefined();
  });

  it('refuses two files with the same version', async () => {
    const dir = await migrationsCopy();
    await writeFile(join(dir, '0001_duplicate.sql'), 'select 1;');
    await expect(readMigrations(dir)).rejects.toThrow(/two migrations share version 1/);
  });
});
