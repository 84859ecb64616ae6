import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
    const packsBefore = await packNames(options.mirrorDir);
    // unpackLimit=1 keeps every fetched object in a pack, so the size check below sees them all.
    // Automatic maintenance is run below only when the fetch brought a pack: a fetch that brought
    // nothing cannot have crossed any gc threshold, and its `maintenance run --auto` child cost a
    // process on every task.
    await runGit(
      [
        '-c',
        'fetch.unpackLimit=1',
        'fetch',
        '--quiet',
        '--prune',
        '--no-tags',
        '--no-auto-maintenance',
        '--no-write-fetch-head',
        '--',
        options.url,
        '+refs/heads/*:refs/remotes/origin/*',
      ],
      {
        gitDir: options.mirrorDir,
        token: options.token,
        timeoutMs: options.timeoutMs,
      },
    );
    const packs = await packNames(options.mirrorDir);
    await assertRepoSize(options.mirrorDir, packs, options.maxRepoBytes);
    if (packs.some((name) => !packsBefore.includes(name))) {
      await runGit(['maintenance', 'run', '--auto', '--quiet'], { gitDir: options.mirrorDir, timeoutMs: options.timeoutMs });
    }
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

/**
 * Size of the mirror's packs, read from the filesystem rather than `git count-objects` (one
 * process fewer per task). Loose objects are left out: a fetch leaves at most a few small ones.
 */
async function assertRepoSize(mirrorDir: string, packs: string[], maxBytes: number): Promise<void> {
  const packDir = join(mirrorDir, 'objects', 'pack');
  let bytes = 0;
  for (const name of packs) bytes += (await stat(join(packDir, name))).size;
  if (bytes > maxBytes) {
    throw new AppError(
      'REPO_TOO_LARGE',
      `repository is ${(bytes / 1048576).toFixed(0)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit (WORKSPACE_MAX_REPO_MB)`,
      { expected: true },
    );
  }
}

async function packNames(mirrorDir: string): Promise<string[]> {
  const names = await readdir(join(mirrorDir, 'objects', 'pack')).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.pack'));
}
