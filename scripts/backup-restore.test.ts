import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const backup = fileURLToPath(new URL('./backup.sh', import.meta.url));
const restore = fileURLToPath(new URL('./restore.sh', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

let source: TestDatabase;
let target: TestDatabase;
let dir: string;

beforeAll(async () => {
  [source, target] = await Promise.all([createTestDatabase(), createTestDatabase({ migrate: false })]);
  dir = await mkdtemp(join(tmpdir(), 'agentbot-backup-'));
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('scripts/backup.sh and scripts/restore.sh', () => {
  it('round-trips the database, schema versions included', async () => {
    const [task] = await source.sql<{ id: string }[]>`
      insert into tasks (kind, source, prompt) values ('fix', 'api', 'restore me') returning id`;
    const env = { PATH: process.env.PATH ?? '', BACKUP_DIR: dir };
    const { stdout } = await run(backup, [], { env: { ...env, DATABASE_URL: source.url } });
    const [file] = (await readdir(dir)).filter((name) => name.endsWith('.dump'));
    expect(stdout).toContain(`backup: wrote ${dir}/${file}`);

    // Without --yes nothing happens.
    await expect(run(restore, [join(dir, file as string)], { env: { ...env, DATABASE_URL: target.url } })).rejects.toMatchObject({
      stderr: expect.stringContaining('run again with --yes'),
    });
    await run(restore, ['--yes', join(dir, file as string)], { env: { ...env, DATABASE_URL: target.url } });

    const [restored] = await target.sql<{ prompt: string }[]>`select prompt from tasks where id = ${task?.id as string}`;
    expect(restored?.prompt).toBe('restore me');
    const versions = await target.sql`select version from schema_migrations`;
    expect(versions.length).toBeGreaterThan(0);
  });

  it('keeps only the newest BACKUP_KEEP dumps', async () => {
    const env = { PATH: process.env.PATH ?? '', BACKUP_DIR: dir, DATABASE_URL: source.url, BACKUP_KEEP: '1' };
    await run(backup, ['--out', join(dir, 'agentbot-20000101T000000Z.dump')], { env });
    await run(backup, [], { env });
    expect((await readdir(dir)).filter((name) => name.endsWith('.dump'))).toHaveLength(1);
  });

  it('keeps dumps in the default backups/ folder out of git and out of the Docker build context', async () => {
    // A dump holds every payload and (encrypted) secret: `git add -A` or `docker compose build` must not pick it up.
    await expect(
      run('git', ['check-ignore', '--quiet', 'backups/agentbot-20260101T000000Z.dump'], { cwd: repoRoot }),
    ).resolves.toBeDefined();
    const dockerignore = (await readFile(join(repoRoot, '.dockerignore'), 'utf8')).split('\n').map((line) => line.trim());
    expect(dockerignore).toContain('backups');
  });

  it('refuses a file that is not a backup', async () => {
    await expect(
      run(restore, ['--yes', backup], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: target.url } }),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('is not a pg_dump custom-format archive'),
    });
  });
});
