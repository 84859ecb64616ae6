import type { SecretRotation } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';
import { ENCRYPTED_COLUMNS, type EncryptedColumn, secretContext } from './encrypted-columns.js';
import type { SecretCipher } from './secret-cipher.js';

export interface RotationReport {
  examined: number;
  reencrypted: number;
  /** Key ids still referenced after the run (only the current one when it succeeded). */
  keysInUse: string[];
}

/**
 * Re-encrypts every secret written with an older key under the current one. Each value is
 * rewritten only if it is unchanged since it was read (compare-and-set), so a concurrent writer
 * wins and nothing is lost; run it again until `keysInUse` holds only the current key.
 */
export async function rotateSecrets(
  sql: Sql,
  cipher: SecretCipher,
  columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS,
): Promise<RotationReport> {
  let examined = 0;
  let reencrypted = 0;
  for (const { table, idColumn, column } of columns) {
    const rows = await sql<{ id: string; value: string }[]>`
      select ${sql(idColumn)}::text as id, ${sql(column)} as value from ${sql(table)} where ${sql(column)} is not null`;
    for (const row of rows) {
      examined += 1;
      if (!cipher.isStale(row.value)) continue;
      const context = secretContext(table, row.id, column);
      const rewritten = cipher.encrypt(cipher.decrypt(row.value, context), context);
      const result = await sql`
        update ${sql(table)} set ${sql(column)} = ${rewritten}
        where ${sql(idColumn)}::text = ${row.id} and ${sql(column)} = ${row.value}`;
      reencrypted += result.count;
    }
  }
  return { examined, reencrypted, keysInUse: await keysInUse(sql, cipher, columns) };
}

/** Which key ids the stored secrets name: before removing a key from ENCRYPTION_KEYS, it must be absent. */
export async function keysInUse(
  sql: Sql,
  cipher: SecretCipher,
  columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS,
): Promise<string[]> {
  const ids = new Set<string>();
  for (const { table, column } of columns) {
    const rows = await sql<
      { value: string }[]
    >`select ${sql(column)} as value from ${sql(table)} where ${sql(column)} is not null`;
    for (const row of rows) ids.add(cipher.keyIdIn(row.value));
  }
  return [...ids].sort();
}

/** The SecretRotation port over PostgreSQL, for the admin endpoint and the CLI. */
export class PostgresSecretRotation implements SecretRotation {
  constructor(
    private readonly sql: Sql,
    private readonly cipher: SecretCipher,
  ) {}

  rotate(): Promise<RotationReport> {
    return rotateSecrets(this.sql, this.cipher);
  }
}
