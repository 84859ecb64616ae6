import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A directory of bare repositories standing in for github.com: `file://<root>/<owner>/<name>.git`.
 * Workspaces fetch from and push to it exactly as they would over https.
 */
export interface LocalGitRemote {
  root: string;
  /** What WorkspaceManager takes as remoteBaseUrl. */
  baseUrl: string;
  /** Creates owner/name with `files` committed on `branch` (the default branch). */
  createRepo(repo: string, files: Record<string, string>, branch?: string): string;
  /**
   * Adds a commit with `files` on `branch` of an existing repository. A branch that does not exist
   * yet starts from `from` (a pull request's branch off main), or with no history when absent.
   */
  commit(repo: string, files: Record<string, string>, branch?: string, from?: string): string;
  /** The commit `ref` points at in the bare repository (e.g. `agent-bot/t-1^` for its parent). */
  revParse(repo: string, ref: string): string;
  /** Contents of `path` at `ref` in the bare repository, or null. */
  show(repo: string, ref: string, path: string): string | null;
  branches(repo: string): string[];
  remove(): void;
}

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
}

export function createLocalGitRemote(): LocalGitRemote {
  const root = mkdtempSync(join(tmpdir(), 'agent-bot-remote-'));
  const bare = (repo: string) => join(root, `${repo}.git`);
  const commit = (repo: string, files: Record<string, string>, branch = 'main', from?: string) => {
    const work = mkdtempSync(join(tmpdir(), 'agent-bot-seed-'));
    try {
      git(['init', '--quiet', '-b', branch, work]);
      const hasBranch = git(['ls-remote', '--heads', bare(repo), branch]) !== '';
      const start = hasBranch ? branch : from;
      if (start) {
        git(['fetch', '--quiet', bare(repo), start], work);
        git(['reset', '--quiet', '--hard', 'FETCH_HEAD'], work);
      }
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      git(['add', '--all'], work);
      git(['-c', 'user.name=Seed', '-c', 'user.email=seed@example.com', 'commit', '--quiet', '-m', 'seed'], work);
      git(['push', '--quiet', bare(repo), `HEAD:refs/heads/${branch}`], work);
      return git(['rev-parse', 'HEAD'], work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };
  return {
    root,
    baseUrl: `file://${root}`,
    createRepo(repo, files, branch = 'main') {
      mkdirSync(bare(repo), { recursive: true });
      git(['init', '--quiet', '--bare', '-b', branch, bare(repo)]);
      return commit(repo, files, branch);
    },
    commit,
    show(repo, ref, path) {
      try {
        return execFileSync('git', ['--git-dir', bare(repo), 'show', `${ref}:${path}`], {
          env: GIT_ENV,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch {
        return null;
      }
    },
    revParse(repo, ref) {
      return git(['--git-dir', bare(repo), 'rev-parse', '--verify', '--end-of-options', ref]);
    },
    branches(repo) {
      const out = git(['--git-dir', bare(repo), 'for-each-ref', '--format=%(refname:short)', 'refs/heads']);
      return out === '' ? [] : out.split('\n');
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
