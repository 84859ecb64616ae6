#!/usr/bin/env node
// Creates the database if missing and applies pending migrations. Used by `npm start`, the
// docker-compose `migrate` service and operators (`npm run migrate`). Needs a build (npm run build).
import { ConfigError, loadConfig } from '@agent-bot/config';
import { assertDatabaseReachable, createSql, describeDatabaseUrl, ensureDatabase, migrate } from '@agent-bot/db';
import { loadEnvFile } from './load-env-file.mjs';

async function main() {
  const config = loadConfig(loadEnvFile(new URL('../.env', import.meta.url)));
  const where = describeDatabaseUrl(config.database.url);
  try {
    if (await ensureDatabase(config.database.url)) console.log(`migrate: created database ${where}`);
  } catch (error) {
    // Not fatal by itself: the role may lack CREATEDB while the database exists; the next step says.
    if (error.code !== '42501') {
      const probe = createSql({ url: config.database.url, poolSize: 1 });
      await assertDatabaseReachable(probe, config.database.url).finally(() => probe.end());
    }
  }
  const sql = createSql({ url: config.database.url, poolSize: 1 });
  try {
    await assertDatabaseReachable(sql, config.database.url);
    const result = await migrate(sql);
    console.log(
      result.applied.length > 0
        ? `migrate: applied ${result.applied.join(', ')}; ${where} is at version ${result.version}`
        : `migrate: ${where} is up to date (version ${result.version})`,
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((error) => {
  console.error(`migrate: ${error instanceof ConfigError || error.code ? error.message : error.stack}`);
  process.exit(1);
});
