import { AppError } from '@agent-bot/contracts';
import { execa } from 'execa';

export interface RunGitOptions {
  cwd?: string;
  /** Explicit repository paths, so a `.git` file the agent rewrote can never redirect git elsewhere. */
  gitDir?: string;
  workTree?: string;
  /** Installation token for this one command: passed through the environment, never argv or .git/config. */
  token?: string;
  timeoutMs?: number;
  /** Exit codes that are answers rather than failures (e.g. `diff --quiet` returns 1). */
  okExitCodes?: number[];
}

/**
 * Hardening applied to every git command: no hooks, no `ext::` transport, no fsmonitor command,
 * no system/global config and no terminal prompts. `-c` comes before the subcommand so it always wins.
 */
const HARDENING = [
  '-c',
  'protocol.ext.allow=never',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.sshCommand=false',
  '-c',
  'credential.helper=',
  '-c',
  'submodule.recurse=false',
  '-c',
  'advice.detachedHead=false',
];

/**
 * Runs git with a minimal environment (no DATABASE_URL or other secrets of the worker). The token
 * travels as GIT_CONFIG_* variables (git >= 2.31): an http.extraHeader for this process only, so
 * it is neither in the command line (visible in `ps`) nor written to any config file.
 */
export async function runGit(args: string[], options: RunGitOptions = {}): Promise<string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/false',
    LANG: 'C',
  };
  if (options.token) {
    const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
  }
  const prefix = [...HARDENING];
  if (options.gitDir) prefix.push(`--git-dir=${options.gitDir}`);
  if (options.workTree) prefix.push(`--work-tree=${options.workTree}`);
  // Its own process group, so a timeout stops git together with what it started (an alias, a
  // transport helper): a grandchild holding the output pipes open would otherwise hold this call.
  const subprocess = execa('git', [...prefix, ...args], {
    cwd: options.cwd,
    env,
    extendEnv: false,
    reject: false,
    detached: true,
    stdin: 'ignore',
    stripFinalNewline: true,
    maxBuffer: 256 * 1024 * 1024,
  });
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      killProcessGroup(subprocess.pid);
    },
    options.timeoutMs ?? 10 * 60_000,
  );
  const result = await subprocess.finally(() => clearTimeout(timer));
  const ok = result.exitCode === 0 || (result.exitCode !== undefined && (options.okExitCodes ?? []).includes(result.exitCode));
  if (!ok) {
    const reason = timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}`;
    const stderr = redactToken(String(result.stderr ?? ''), options.token).slice(-2000);
    throw new AppError('GIT_FAILED', `git ${subcommandOf(args)} failed (${reason}): ${stderr}`);
  }
  return String(result.stdout ?? '');
}

/** The subcommand an operator recognises ("fetch"), past any `-c name=value` the caller put first. */
function subcommandOf(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') i++;
    else if (!args[i]?.startsWith('-')) return args[i] ?? '';
  }
  return args[0] ?? '';
}

function redactToken(text: string, token: string | undefined): string {
  return token ? text.split(token).join('***') : text;
}

function killProcessGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
