import { type AppConfig, ConfigError, loadConfig } from '@agent-bot/config';
import {
  assertDatabaseReachable,
  createSql,
  currentSchemaVersion,
  describeDatabaseUrl,
  expectedSchemaVersion,
} from '@agent-bot/db';
import { assertNoEviction, assertRedisReachable, createRedis, describeRedisUrl } from '@agent-bot/queue';
import type { CliIo } from '../cli-io.js';

interface Finding {
  ok: boolean;
  /** Warnings do not fail the doctor. */
  warning?: boolean;
  what: string;
  fix?: string;
}

/**
 * Checks what a deployment needs, each line saying what was checked and, when wrong, what to do.
 * Exit code 1 when anything but a warning failed.
 */
export async function doctor(io: CliIo, options: { url?: string }): Promise<number> {
  const findings: Finding[] = [];
  let config: AppConfig;
  try {
    config = loadConfig(io.env);
    findings.push({ ok: true, what: 'configuration is valid' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) findings.push({ ok: false, what: `config ${problem}`, fix: 'see .env.example' });
    return report(io, findings);
  }

  findings.push(
    config.security.adminToken
      ? { ok: true, what: 'ADMIN_TOKEN is set' }
      : { ok: false, warning: !config.server.production, what: 'ADMIN_TOKEN is not set', fix: 'openssl rand -hex 24' },
    config.security.encryptionKey
      ? { ok: true, what: 'ENCRYPTION_KEY is set' }
      : { ok: false, warning: !config.server.production, what: 'ENCRYPTION_KEY is not set', fix: 'openssl rand -base64 32' },
  );

  const sql = createSql({ url: config.database.url, poolSize: 1, connectTimeoutSeconds: 3 });
  try {
    await assertDatabaseReachable(sql, config.database.url);
    const [current, expected] = await Promise.all([currentSchemaVersion(sql), expectedSchemaVersion()]);
    findings.push({ ok: true, what: `PostgreSQL reachable at ${describeDatabaseUrl(config.database.url)}` });
    findings.push(
      current >= expected
        ? { ok: true, what: `schema at version ${current} (this build needs ${expected})` }
        : { ok: false, what: `schema at version ${current}, this build needs ${expected}`, fix: 'npm run migrate' },
    );
  } catch (error) {
    findings.push({ ok: false, what: (error as Error).message });
  } finally {
    await sql.end({ timeout: 2 });
  }

  const redis = createRedis(config.redis.url, 'producer');
  try {
    await assertRedisReachable(redis, config.redis.url, 3000);
    findings.push({ ok: true, what: `Redis reachable at ${describeRedisUrl(config.redis.url)}` });
    await assertNoEviction(redis);
    findings.push({ ok: true, what: 'Redis maxmemory-policy is noeviction' });
  } catch (error) {
    findings.push({ ok: false, what: (error as Error).message });
  } finally {
    redis.disconnect();
  }

  const gatewayUrl = options.url ?? config.server.publicUrl;
  try {
    const response = await fetch(`${gatewayUrl}/health/ready`, { signal: AbortSignal.timeout(3000) });
    const body = (await response.json()) as { problems?: string[] };
    findings.push(
      response.ok
        ? { ok: true, what: `gateway ready at ${gatewayUrl}` }
        : { ok: false, what: `gateway at ${gatewayUrl} not ready: ${(body.problems ?? []).join('; ')}` },
    );
  } catch (error) {
    findings.push({
      ok: false,
      warning: true,
      what: `gateway not reachable at ${gatewayUrl} (${(error as Error).message})`,
      fix: 'start it (npm start) or pass --url',
    });
  }
  return report(io, findings);
}

function report(io: CliIo, findings: Finding[]): number {
  for (const finding of findings) {
    const mark = finding.ok ? '✓' : finding.warning ? '!' : '✗';
    io.stdout(`${mark} ${finding.what}${!finding.ok && finding.fix ? ` — fix: ${finding.fix}` : ''}\n`);
  }
  const failures = findings.filter((f) => !f.ok && !f.warning).length;
  // "all checks passed" under a "!" line read as if the warning had gone away.
  const warnings = findings.filter((f) => !f.ok && f.warning).length;
  const warned = warnings === 0 ? '' : `, ${warnings} warning(s) above`;
  io.stdout(failures === 0 ? `\nall checks passed${warned}\n` : `\n${failures} check(s) failed${warned}\n`);
  return failures === 0 ? 0 : 1;
}
