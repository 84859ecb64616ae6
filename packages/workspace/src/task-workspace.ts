import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskWorkspace } from '@agent-bot/contracts';

interface TaskWorkspaceParts {
  repo: string;
  dir: string;
  branch: string;
  baseBranch: string;
  baseCommit: string;
  url: string;
  git: (args: string[], token?: string, okExitCodes?: number[]) => Promise<string>;
  /** Gives the worktree back; `clean` says the release reset and cleaned it completely. */
  release: (outcome: { clean: boolean }) => Promise<void>;
}

/** The task's view of its worktree: what changed, commit and push, give it back. */
export function createTaskWorkspace(parts: TaskWorkspaceParts): TaskWorkspace {
  const { git } = parts;
  let released = false;
  return {
    repo: parts.repo,
    dir: parts.dir,
    branch: parts.branch,
    baseBranch: parts.baseBranch,
    baseCommit: parts.baseCommit,

    async changedFiles() {
      const out = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']);
      return out
        .split('\0')
        .filter((entry) => entry.length > 3)
        .map((entry) => entry.slice(3));
    },

    async commitAndPush({ message, token, author }) {
      await unnestRepositories(parts.dir, git);
      await git(['add', '--all']);
      const staged = await git(['status', '--porcelain=v1', '-z', '--untracked-files=no']);
      if (staged !== '') {
        await git([
          '-c',
          `user.name=${oneLine(author.name)}`,
          '-c',
          `user.email=${oneLine(author.email)}`,
          '-c',
          'commit.gpgSign=false',
          'commit',
          '--quiet',
          '--no-verify',
          '-m',
          message,
        ]);
      }
      const commit = await git(['rev-parse', 'HEAD']);
      if (commit === parts.baseCommit) return null;
      await git(['push', '--quiet', '--force', '--', parts.url, `refs/heads/${parts.branch}:refs/heads/${parts.branch}`], token);
      return { commit, branch: parts.branch };
    },

    async release() {
      if (released) return;
      released = true;
      let clean = false;
      try {
        // The next task's work, done now while nobody waits: back to the base commit, detached (so
        // the task branch can go), every untracked and ignored file removed. This checkout also
        // rewrites the index after the task, so files the prepare wrote in the same second as the
        // index are no longer "racily clean" and the next checkout need not re-read them all.
        await git(['checkout', '--quiet', '--force', '--no-recurse-submodules', '--detach', parts.baseCommit]);
        await git(['clean', '-ffdxq']);
        // Drop the task branch so the mirror does not collect one branch per task.
        await git(['update-ref', '-d', `refs/heads/${parts.branch}`]);
        clean = true;
      } finally {
        await parts.release({ clean });
      }
    },
  };
}

function oneLine(value: string): string {
  return value.replace(/[\r\n]/g, ' ').slice(0, 200);
}

/**
 * An agent that ran `git init` (or a scaffolding tool that does) leaves a repository inside the
 * worktree: `git add` refuses an empty one and would commit any other as a bare gitlink, which the
 * pull request cannot show. Their files are the change; their `.git` is dropped so they are added
 * as plain files. Untracked directories are the only place such a repository can be new.
 */
async function unnestRepositories(dir: string, git: TaskWorkspaceParts['git']): Promise<void> {
  // Ignored paths are left alone: `git add --all` skips them too.
  const untracked = await git(['ls-files', '-z', '--others', '--exclude-standard', '--directory', '--no-empty-directory']);
  for (const entry of untracked.split('\0')) {
    if (!entry.endsWith('/')) continue;
    const top = join(dir, entry);
    // git shows an untracked directory once, however deep the repositories inside it are.
    const inside = await readdir(top, { recursive: true, withFileTypes: true });
    const nested = [top, ...inside.filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name))];
    for (const candidate of nested) {
      const gitEntry = join(candidate, '.git');
      if (
        await stat(gitEntry).then(
          () => true,
          () => false,
        )
      )
        await rm(gitEntry, { recursive: true, force: true });
    }
  }
}
