import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_REDIS_URL, waitFor } from '@agent-bot/testing';
import type { Harness } from './pipeline-harness.js';
import { PUBLIC_URL } from './pipeline-harness.js';

/** A worker in its own process (worker-child.ts), so a test can kill it with SIGKILL. */
export interface WorkerChild {
  process: ChildProcess;
  /** Resolves when the process has exited (killed, or it killed itself): the signal, else the exit code. */
  exited: Promise<string | number | null>;
  kill(): Promise<void>;
}

/** Starts worker-child.ts on the harness's database, queue, git remote and GitHub stand-in. */
export async function startWorkerChild(
  h: Harness,
  extra: {
    anthropicUrl?: string;
    slack?: { apiUrl: string; botToken: string };
    gated?: { fail?: { errorCode: string; summary: string } };
    die?: 'before-settle' | 'after-settle';
  },
): Promise<WorkerChild> {
  const runsDir = join(h.runsDir, 'child');
  mkdirSync(runsDir, { recursive: true });
  const script = fileURLToPath(new URL('./worker-child.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@agent-bot/source',
      script,
      JSON.stringify({
        databaseUrl: h.db.url,
        redisUrl: TEST_REDIS_URL,
        prefix: h.prefix,
        gitBaseUrl: h.remote.baseUrl,
        workspaceDir: h.workspaceDir,
        runsDir,
        publicUrl: PUBLIC_URL,
        lockDurationMs: 2000,
        github: h.githubParams,
        ...extra,
      }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<string | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  // Its first start compiles with tsx: slow on a busy machine.
  await waitFor('child worker ready', () => output.includes('worker-ready'), { timeoutMs: 90_000 });
  return {
    process: child,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
