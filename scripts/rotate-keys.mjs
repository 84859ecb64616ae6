#!/usr/bin/env node
// Re-encrypts every secret at rest with ENCRYPTION_KEY, reading older values with ENCRYPTION_KEYS.
// The same operation as POST /api/admin/rotate-keys, for operators at a shell (`npm run rotate-keys`).
// Needs a build (npm run build). An old key may leave ENCRYPTION_KEYS once it is not listed as in use.
import { ConfigError, loadConfig } from '@agent-bot/config';
import { assertDatabaseReachable, createSql, keyIdOf, rotateSecrets, SecretCipher } from '@agent-bot/db';
import { loadEnvFile } from './load-env-file.mjs';

async function main() {
  const config = loadConfig(loadEnvFile(new URL('../.env', import.meta.url)));
  if (!config.security.encryptionKey) throw new ConfigError(['ENCRYPTION_KEY: is required to re-encrypt secrets']);
  const cipher = new SecretCipher({
    currentKey: config.security.encryptionKey,
    previousKeys: config.security.previousEncryptionKeys.map((entry) => entry.key),
  });
  const sql = createSql({ url: config.database.url, poolSize: 1 });
  try {
    await assertDatabaseReachable(sql, config.database.url);
    const report = await rotateSecrets(sql, cipher);
    const labels = new Map(config.security.previousEncryptionKeys.map((entry) => [keyIdOf(entry.key), entry.id]));
    labels.set(cipher.currentKeyId, 'ENCRYPTION_KEY');
    console.log(`rotate-keys: examined ${report.examined}, re-encrypted ${report.reencrypted}`);
    console.log(
      `rotate-keys: keys in use: ${report.keysInUse.map((id) => `${id} (${labels.get(id) ?? 'unknown'})`).join(', ') || 'none'}`,
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((error) => {
  console.error(`rotate-keys: ${error instanceof ConfigError || error.code ? error.message : error.stack}`);
  process.exit(1);
});
