import { AppError } from '@agent-bot/contracts';
import { describeDatabaseUrl, type Sql } from './create-sql.js';

/** Fails with a message that says which database, why, and how to start one. */
export async function assertDatabaseReachable(sql: Sql, url: string): Promise<void> {
  try {
    await sql`select 1`;
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `PostgreSQL is not reachable at ${describeDatabaseUrl(url)} (${reason}). ` +
        'Start it (Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; ' +
        'Docker: docker compose up -d postgres) or point DATABASE_URL at a running server.',
      { cause: error },
    );
  }
}
