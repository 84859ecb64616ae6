import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '@agent-bot/contracts';
import { lock } from '../file-lock.js';
import { runGit } from './run-git.js';

export interface MirrorOptions {
  mirrorDir: string;
  url: string;
  token?: string;
  maxRepoBytes: number;
  timeoutMs: number;
}

/**
 * Brings the bare mirror of a repository up to date: created once, then fetched before every
 * task. Branches land under refs/remotes/origin/* so a fetch never collides with the task branches
 * that worktrees have checked out. The URL is passed on each fetch and never stored as a remote.
 */
export async function syncMirror(options: MirrorOptions): Promise<{ cloned: boolean }> {
  await mkdir(dirname(options.mirrorDir), { recursive: true });
  const release = await lock(`${options.mirrorDir}.lock`, options.timeoutMs);
  try {
    const exists = await stat(`${options.mirrorDir}/HEAD`).then(
      () => true,
      () => false,
    );
    if (!exists) await runGit(['init', '--quiet', '--bare', '--', options.mirrorDir], { timeoutMs: options.timeoutMs });
    await runGit(['fetch', '--quiet', '--prune', '--no-tags', '--', options.url, '+refs/heads/*:refs/remotes/origin/*'], {
      gitDir: options.mirrorDir,
      token: options.token,
      timeoutMs: options.timeoutMs,
    });
    await assertRepoSize(options.mirrorDir, options.maxRepoBytes);
    return { cloned: !exists };
  } finally {
    await release();
  }
}

/** The remote's default branch (where its HEAD points), asked without storing the URL anywhere. */
export async function remoteDefaultBranch(mirrorDir: string, url: string, token: string | undefined): Promise<string> {
  const out = await runGit(['ls-remote', '--symref', '--', url, 'HEAD'], { gitDir: mirrorDir, token, timeoutMs: 60_000 });
  const match = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out);
  if (!match?.[1]) throw new AppError('REPO_DEFAULT_BRANCH_UNKNOWN', 'the repository has no default branch (is it empty?)');
  return match[1];
}

async function assertRepoSize(mirrorDir: string, maxBytes: number): Promise<void> {
  const out = await runGit(['count-objects', '-v'], { gitDir: mirrorDir });
  const kib = (key: string) => Number(new RegExp(`^${key}: (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
  const bytes = (kib('size') + kib('size-pack')) * 1024;
  if (bytes > maxBytes) {
    throw new AppError(
      'REPO_TOO_LARGE',
      `repository is ${(bytes / 1048576).toFixed(0)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit (WORKSPACE_MAX_REPO_MB)`,
      { expected: true },
    );
  }
}
