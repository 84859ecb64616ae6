import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AppError } from '@agent-bot/contracts';
import type { Sql } from './create-sql.js';

/** database/migrations at the repository root, found the same way from src/ and dist/. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../database/migrations', import.meta.url));

/** Arbitrary constant shared by every agent-bot process: the advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 7_241_905_113;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => /^\d+_.+\.sql$/.test(file)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const sql = await readFile(`${dir}/${file}`, 'utf8');
    migrations.push({
      version: Number.parseInt(file, 10),
      name: file.replace(/\.sql$/, ''),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  const versions = new Set<number>();
  for (const migration of migrations) {
    if (versions.has(migration.version)) {
      throw new AppError('MIGRATION_FAILED', `two migrations share version ${migration.version}`);
    }
    versions.add(migration.version);
  }
  return migrations;
}

/** Highest migration version this build ships; /health/ready compares the database against it. */
export async function expectedSchemaVersion(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<number> {
  const migrations = await readMigrations(dir);
  return migrations.at(-1)?.version ?? 0;
}

export interface MigrateResult {
  applied: string[];
  version: number;
}

/**
 * Applies pending migrations in one transaction holding a transaction-scoped advisory lock: a
 * second process starting at the same moment waits, then finds nothing left to do. An applied
 * migration whose file changed is refused (forward-only: add a new file instead).
 */
export async function migrate(sql: Sql, options: { dir?: string } = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(options.dir);
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
    const appliedRows = await tx<{ version: number; checksum: string }[]>`select version, checksum from schema_migrations`;
    const applied = new Map(appliedRows.map((row) => [row.version, row.checksum]));
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new AppError(
            'MIGRATION_FAILED',
            `migration ${migration.name} was changed after it was applied; migrations are forward-only, add a new file`,
          );
        }
        continue;
      }
      try {
        await tx.unsafe(migration.sql);
      } catch (error) {
        throw new AppError('MIGRATION_FAILED', `migration ${migration.name} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await tx`insert into schema_migrations (version, name, checksum) values (${migration.version}, ${migration.name}, ${migration.checksum})`;
      newlyApplied.push(migration.name);
    }
    const version = migrations.reduce((max, m) => Math.max(max, m.version), Math.max(0, ...applied.keys()));
    return { applied: newlyApplied, version };
  });
}

/** Version recorded in the database, 0 when no migration ran yet. */
export async function currentSchemaVersion(sql: Sql): Promise<number> {
  const [row] = await sql<{ version: number | null }[]>`
    select max(version) as version from schema_migrations`.catch((error: { code?: string }) => {
    if (error.code === '42P01') return [{ version: 0 }];
    throw error;
  });
  return row?.version ?? 0;
}
