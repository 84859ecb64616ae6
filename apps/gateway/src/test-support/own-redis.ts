import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor } from '@agent-bot/testing';

const run = promisify(execFile);

/**
 * A redis-server of the test's own on a free port, for outage drills (the shared Redis is never
 * stopped). Data is saved on shutdown and reloaded on start, like a production Redis that restarts.
 */
export async function startOwnRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'agentbot-redis-'));
  const ping = async () => (await run('redis-cli', ['-p', String(port), 'ping'])).stdout.trim() === 'PONG';
  // A child of this process (not daemonized), so it is reaped when it exits.
  let child: ChildProcess | undefined;
  async function start() {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await waitFor('own redis-server to answer', () => ping().catch(() => false), { timeoutMs: 10_000 });
  }
  async function stop() {
    const exited = child && child.exitCode === null ? new Promise((resolve) => child?.once('exit', resolve)) : Promise.resolve();
    // SAVE writes dump.rdb first, so jobs queued before the outage are there after the restart.
    await run('redis-cli', ['-p', String(port), 'shutdown', 'save']).catch(() => {});
    await exited;
  }
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async destroy() {
      const exited =
        child && child.exitCode === null ? new Promise((resolve) => child?.once('exit', resolve)) : Promise.resolve();
      await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => child?.kill('SIGKILL'));
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
