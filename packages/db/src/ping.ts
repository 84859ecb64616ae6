import type { Sql } from './create-sql.js';
import { currentSchemaVersion } from './migrate.js';

/** Round trip used by health checks; resolves with the schema version it found. */
export async function pingDatabase(sql: Sql): Promise<{ schemaVersion: number }> {
  await sql`select 1`;
  return { schemaVersion: await currentSchemaVersion(sql) };
}
