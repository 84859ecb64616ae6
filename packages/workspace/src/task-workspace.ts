import type { TaskWorkspace } from '@agent-bot/contracts';

interface TaskWorkspaceParts {
  repo: string;
  dir: string;
  branch: string;
  baseBranch: string;
  baseCommit: string;
  url: string;
  git: (args: string[], token?: string) => Promise<string>;
  release: () => Promise<void>;
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
      try {
        // Detach and drop the task branch so the mirror does not collect one branch per task.
        const head = await git(['rev-parse', 'HEAD']);
        await git(['update-ref', '--no-deref', 'HEAD', head]);
        await git(['update-ref', '-d', `refs/heads/${parts.branch}`]);
      } finally {
        await parts.release();
      }
    },
  };
}

function oneLine(value: string): string {
  return value.replace(/[\r\n]/g, ' ').slice(0, 200);
}
