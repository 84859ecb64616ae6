import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface AppProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Runs an app's real main.ts from source in its own process (as production runs it, minus the
 * build), with exactly the environment given: black-box tests of startup, shutdown and crashes.
 */
export function spawnApp(app: 'gateway' | 'worker' | 'cli', env: Record<string, string>, args: string[] = []): AppProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=@agent-bot/source', '--import', 'tsx', `apps/${app}/src/main.ts`, ...args],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: 'pipe' },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until `url` answers 200 (e.g. /health/live), failing with the process output if it died. */
export async function waitForHttp(url: string, app: AppProcess, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    `${url} to answer`,
    async () => {
      if (app.child.exitCode !== null) throw new Error(`process exited ${app.child.exitCode}:\n${app.output()}`);
      const response = await fetch(url).catch(() => undefined);
      return response?.ok ?? false;
    },
    { timeoutMs, intervalMs: 100 },
  );
}
