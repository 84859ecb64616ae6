import postgres from 'postgres';

export type Sql = postgres.Sql;
/** The connection a `sql.begin` callback runs its statements on. */
export type Tx = postgres.TransactionSql;

export interface CreateSqlOptions {
  url: string;
  poolSize?: number;
  /** Seconds to wait for a connection; kept short so a down database fails health checks fast. */
  connectTimeoutSeconds?: number;
  applicationName?: string;
  /**
   * false: commits on this pool return before the WAL is flushed (synchronous_commit=off). Only for
   * writes that a crash may lose because they are redone (status marks the reconciler repeats);
   * never for a write that is acknowledged to someone.
   */
  synchronousCommit?: boolean;
}

/** A postgres.js pool. Numeric and bigint columns are parsed to JS numbers (costs, token counts). */
export function createSql(options: CreateSqlOptions): Sql {
  return postgres(options.url, {
    max: options.poolSize ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: 60,
    max_lifetime: 60 * 30,
    onnotice: () => {},
    connection: {
      application_name: options.applicationName ?? 'agent-bot',
      ...(options.synchronousCommit === false ? { synchronous_commit: 'off' } : {}),
    },
    types: {
      bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
    },
  });
}

/** Short, credential-free description of a database URL for messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
