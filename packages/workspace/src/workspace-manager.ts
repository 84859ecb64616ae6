import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError, type PrepareWorkspaceInput, type TaskWorkspace, type Workspaces } from '@agent-bot/contracts';
import { lock, tryLock } from './file-lock.js';
import { remoteDefaultBranch, syncMirror } from './git/mirror.js';
import { readRef } from './git/read-ref.js';
import { assertRepoFullName, assertSafeRefName } from './git/repo-name.js';
import { taskBranch } from './git/task-branch.js';
import { runGit } from './git/run-git.js';
import { createTaskWorkspace } from './task-workspace.js';

export interface WorkspaceManagerOptions {
  /** WORKSPACE_DIR: mirrors/ and worktrees/ live below it. */
  rootDir: string;
  /** Where repositories are fetched from: https://github.com, or a file:// directory in tests. */
  remoteBaseUrl: string;
  maxRepoBytes: number;
  maxFiles: number;
  /** Most worktrees one repository may have at once (concurrent tasks on it). */
  maxWorktreesPerRepo?: number;
  gitTimeoutMs?: number;
}

/**
 * Mirrors plus a pool of worktrees per repository. A task takes a free worktree (a lock file per
 * worktree), which is switched to the base commit on the task's own branch, so git rewrites only
 * the files that differ from the last task. The task's release resets and cleans the worktree (off
 * the next task's critical path); the next task skips its own `clean` only when that release
 * provably completed, so nothing of a task survives into the next, even one that crashed.
 */
export class WorkspaceManager implements Workspaces {
  private readonly root: string;
  /** Default branch per repository, asked of the remote at most every few minutes. */
  private readonly defaultBranches = new Map<string, { branch: string; at: number }>();
  /** Commits already checked against the file limit (a commit never changes). */
  private readonly countedCommits = new Set<string>();
  /**
   * Worktrees this process released clean: worktree dir -> the commit left checked out and a
   * random proof also written to the worktree's `.released` file. Both are dropped when any task
   * takes the worktree, so a match proves that no task, of this or another worker sharing the
   * directory, used it since. Kept in memory because a file alone could be written by the agent
   * of a task that then crashed.
   */
  private readonly releasedClean = new Map<string, { proof: string; commit: string }>();

  constructor(private readonly options: WorkspaceManagerOptions) {
    this.root = resolve(options.rootDir);
  }

  /** The URL git fetches from and pushes to; built only from a validated name. */
  remoteUrl(repo: string): string {
    const { owner, name } = assertRepoFullName(repo);
    return `${this.options.remoteBaseUrl.replace(/\/+$/, '')}/${owner}/${name}.git`;
  }

  async prepare(input: PrepareWorkspaceInput): Promise<TaskWorkspace & { cloned: boolean }> {
    const { owner, name } = assertRepoFullName(input.repo);
    if (input.baseBranch !== undefined) assertSafeRefName(input.baseBranch);
    const branch = assertSafeRefName(taskBranch(input.taskId));
    const timeoutMs = this.options.gitTimeoutMs ?? 10 * 60_000;
    const url = this.remoteUrl(input.repo);
    const mirrorDir = join(this.root, 'mirrors', owner, `${name}.git`);

    const { cloned } = await syncMirror({
      mirrorDir,
      url,
      token: input.token,
      maxRepoBytes: this.options.maxRepoBytes,
      timeoutMs,
    });
    const baseBranch = input.baseBranch ?? (await this.defaultBranch(input.repo, mirrorDir, url, input.token));
    // The ref name is built from a validated branch, so it stays inside the mirror's refs.
    const baseCommit = await readRef(mirrorDir, `refs/remotes/origin/${baseBranch}`);
    if (!baseCommit) {
      throw new AppError('REPO_BRANCH_NOT_FOUND', `branch ${baseBranch} does not exist in ${input.repo}`, { expected: true });
    }
    await this.assertFileCount(mirrorDir, baseCommit);

    const slot = await this.acquireSlot(mirrorDir, join(this.root, 'worktrees', owner, name), baseCommit, timeoutMs);
    try {
      const leftCleanAt = await this.takeReleasedClean(slot);
      const git = (args: string[], token?: string, okExitCodes?: number[]) =>
        runGit(args, { gitDir: slot.gitDir, workTree: slot.dir, cwd: slot.dir, token, timeoutMs, okExitCodes });
      if (leftCleanAt === baseCommit && (await readRef(slot.gitDir, 'HEAD')) === baseCommit) {
        // The last release left exactly this commit checked out and clean: only the task branch is
        // missing. `switch -C` without a start point creates it at HEAD and skips the index and
        // file walk that any checkout with a target does (measured: 5-6 ms against 13-20 ms).
        await git(['switch', '--quiet', '--no-recurse-submodules', '-C', branch]);
      } else {
        // One process moves the task branch to the base commit, points HEAD at it and rewrites
        // only the files that differ (like reset --hard, so a modified tracked file is restored).
        await git(['checkout', '--quiet', '--force', '--no-recurse-submodules', '-B', branch, baseCommit]);
        // Untracked and ignored files: removed by the last release, else (a crashed task, another
        // worker process, a failed release) here.
        if (leftCleanAt === null) await git(['clean', '-ffdxq']);
      }
      const workspace = createTaskWorkspace({
        repo: input.repo,
        dir: slot.dir,
        branch,
        baseBranch,
        baseCommit,
        url,
        git,
        release: async ({ clean }) => {
          if (clean) await this.markReleasedClean(slot, baseCommit);
          await slot.release();
        },
      });
      return { ...workspace, cloned };
    } catch (error) {
      await slot.release();
      throw error;
    }
  }

  /**
   * The commit this process's own release left the worktree at, clean, if nobody took the
   * worktree since; null otherwise. Forgets both, as the worktree is now taken.
   */
  private async takeReleasedClean(slot: { dir: string; markerFile: string }): Promise<string | null> {
    const expected = this.releasedClean.get(slot.dir);
    this.releasedClean.delete(slot.dir);
    const found = await readFile(slot.markerFile, 'utf8').catch(() => null);
    if (found !== null) await rm(slot.markerFile, { force: true });
    return expected !== undefined && found === expected.proof ? expected.commit : null;
  }

  private async markReleasedClean(slot: { dir: string; markerFile: string }, commit: string): Promise<void> {
    const proof = randomBytes(16).toString('hex');
    await writeFile(slot.markerFile, proof);
    this.releasedClean.set(slot.dir, { proof, commit });
  }

  private async defaultBranch(repo: string, mirrorDir: string, url: string, token: string | undefined): Promise<string> {
    const cached = this.defaultBranches.get(repo);
    if (cached && Date.now() - cached.at < 5 * 60_000) return cached.branch;
    // What the remote says is checked like user input: it becomes a path under the mirror.
    const branch = assertSafeRefName(await remoteDefaultBranch(mirrorDir, url, token));
    this.defaultBranches.set(repo, { branch, at: Date.now() });
    return branch;
  }

  private async assertFileCount(mirrorDir: string, commit: string): Promise<void> {
    if (this.countedCommits.has(commit)) return;
    const out = await runGit(['ls-tree', '-r', '-z', '--name-only', commit], { gitDir: mirrorDir });
    const count = out === '' ? 0 : out.split('\0').filter(Boolean).length;
    if (count > this.options.maxFiles) {
      throw new AppError(
        'REPO_TOO_MANY_FILES',
        `repository has ${count} files, over the ${this.options.maxFiles} limit (WORKSPACE_MAX_FILES)`,
        {
          expected: true,
        },
      );
    }
    this.countedCommits.add(commit);
  }

  /** The first worktree of the pool whose lock is free, created when the pool has none free. */
  private async acquireSlot(mirrorDir: string, poolDir: string, commit: string, timeoutMs: number) {
    await mkdir(poolDir, { recursive: true });
    const max = this.options.maxWorktreesPerRepo ?? 16;
    for (let index = 0; index < max; index++) {
      const release = await tryLock(join(poolDir, `wt-${index}.lock`));
      if (!release) continue;
      const dir = join(poolDir, `wt-${index}`);
      const gitDir = join(mirrorDir, 'worktrees', `wt-${index}`);
      try {
        const registered = (await exists(join(gitDir, 'gitdir'))) && (await exists(dir));
        if (registered) {
          // The agent could have rewritten `.git`; put back the pointer to our own git dir.
          await writeFile(join(dir, '.git'), `gitdir: ${gitDir}\n`);
        } else {
          // Under the mirror's lock: `worktree add` first writes a placeholder (all-zero) HEAD, and a
          // concurrent task's fetch reading every worktree's HEAD then failed with "did not send all
          // necessary objects" (about 1 in 40 concurrent cold starts, measured under load).
          const releaseMirror = await lock(`${mirrorDir}.lock`, timeoutMs);
          try {
            await runGit(['worktree', 'prune'], { gitDir: mirrorDir });
            await runGit(['worktree', 'add', '--quiet', '--detach', '--no-checkout', '--', dir, commit], { gitDir: mirrorDir });
          } finally {
            await releaseMirror();
          }
        }
        return { dir, gitDir, markerFile: join(poolDir, `wt-${index}.released`), release };
      } catch (error) {
        await release();
        throw error;
      }
    }
    throw new AppError('WORKSPACE_BUSY', `all ${max} worktrees of this repository are in use`);
  }
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
