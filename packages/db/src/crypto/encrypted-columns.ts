/**
 * Every column that holds a secret envelope, so rotation can find them all. A new table with
 * secrets adds its columns here (and writes them with `secretContext`), or rotation skips it.
 */
export interface EncryptedColumn {
  table: string;
  /** Primary key column; its value is part of the additional data. */
  idColumn: string;
  column: string;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { table: 'github_app', idColumn: 'id', column: 'private_key_enc' },
  { table: 'github_app', idColumn: 'id', column: 'webhook_secret_enc' },
  { table: 'github_app', idColumn: 'id', column: 'client_secret_enc' },
  { table: 'github_users', idColumn: 'id', column: 'access_token_enc' },
  { table: 'github_users', idColumn: 'id', column: 'refresh_token_enc' },
  { table: 'oauth_states', idColumn: 'state_hash', column: 'code_verifier_enc' },
];

/** The additional data binding a secret to its row and column: `<table>/<id>/<column>`. */
export function secretContext(table: string, id: string | number, column: string): string {
  return `${table}/${id}/${column}`;
}
