import { AppError } from '@agent-bot/contracts';
import { describeDatabaseUrl, type Sql } from './create-sql.js';

/** Fails with a message that says which database, why, and how to start one. */
export async function assertDatabaseReachable(sql: Sql, url: string): Promise<void> {
  try {
    await sql`select 1`;
  } catch (error) {
    // postgres.js puts a bare SQLSTATE in `code` ("3D000"); the message says what it means.
    const { code, message } = error as { code?: string; message?: string };
    const reason = [code, message].filter(Boolean).join(': ') || String(error);
    throw new AppError(
      'DEPENDENCY_UNAVAILABLE',
      `PostgreSQL is not reachable at ${describeDatabaseUrl(url)} (${reason}). ` +
        'Start it (Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; ' +
        'Docker: docker compose up -d postgres) or point DATABASE_URL at a running server.',
      { cause: error },
    );
  }
}
