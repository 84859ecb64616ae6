import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SHUTDOWN NOSAVE), as an outage would. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

async function ping(port: number): Promise<boolean> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
    return stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}

/**
 * A throwaway redis-server of a test's own on a free port, for outage drills and settings the shared
 * Redis must not get (the shared one is never stopped or reconfigured).
 */
export async function startRedisServer(options: { extraArgs?: string[] } = {}): Promise<RedisServer> {
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--maxmemory-policy',
    'noeviction',
    ...(options.extraArgs ?? []),
  ];
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      await run('redis-server', args);
      await waitFor(`redis-server on ${port}`, () => ping(port), { timeoutMs: 10_000 });
    },
    async stop() {
      await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => {});
      await waitFor(`redis-server on ${port} to stop`, async () => !(await ping(port)), { timeoutMs: 10_000 });
    },
  };
  await server.start();
  return server;
}
