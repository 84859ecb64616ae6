import { type ChildProcess, spawn } from 'node:child_process';
import { waitFor } from './wait-for.js';

export interface SourceProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stderr(): string;
  /** Resolves when the output matches, rejects (with the output) after the timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs the process if it is still running. */
  kill(): void;
}

/**
 * Runs a TypeScript entry point (a main.ts or a test-support script) from source in a child Node
 * process, as `node --import tsx --conditions=@agent-bot/source`. The child gets only `env` (plus
 * PATH and HOME), never the test runner's environment.
 */
export function spawnSource(entry: string, options: { env?: Record<string, string>; args?: string[] } = {}): SourceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@agent-bot/source', entry, ...(options.args ?? [])], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let all = '';
  let errors = '';
  child.stdout?.on('data', (chunk) => {
    all += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    all += String(chunk);
    errors += String(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    output: () => all,
    stderr: () => errors,
    exited,
    async waitForOutput(pattern, timeoutMs = 20_000) {
      try {
        await waitFor(`output matching ${pattern}`, () => pattern.test(all), { timeoutMs });
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- output ---\n${all}`);
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
