import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

export interface PostgresServer {
  port: number;
  /** URL of the `postgres` database on this server (trust auth, user postgres). */
  adminUrl: string;
  /** `pg_ctl stop -m immediate`: the server vanishes as in a crash. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

async function findBinary(name: string): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  const versions = existsSync('/usr/lib/postgresql') ? (await readdir('/usr/lib/postgresql')).sort().reverse() : [];
  for (const version of versions) {
    const candidate = `/usr/lib/postgresql/${version}/bin/${name}`;
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} not found (install postgresql)`);
}

/** Runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root). */
async function asPostgres(binary: string, args: string[]): Promise<void> {
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', binary, ...args]);
  else await run(binary, args);
}

/**
 * A throwaway PostgreSQL cluster of a test's own, in a temp dir on a free port, for outage drills
 * (the shared server is never stopped). Takes a few seconds to initialise.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const [initdb, pgCtl] = await Promise.all([findBinary('initdb'), findBinary('pg_ctl')]);
  const dir = await mkdtemp(join(tmpdir(), 'agentbot-pg-'));
  await chmod(dir, 0o700);
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await asPostgres(initdb, ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const server: PostgresServer = {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await asPostgres(pgCtl, [
        '-D',
        dir,
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        '-w',
        '-l',
        join(dir, 'server.log'),
        'start',
      ]);
    },
    async stop() {
      await asPostgres(pgCtl, ['-D', dir, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    },
    async destroy() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
