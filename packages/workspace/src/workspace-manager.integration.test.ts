import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalGitRemote, createLocalGitRemote, spawnSource } from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceManager } from './workspace-manager.js';

const author = { name: 'agent-bot', email: 'bot@example.com' };
let remote: LocalGitRemote;
let root: string;
let manager: WorkspaceManager;

beforeEach(() => {
  remote = createLocalGitRemote();
  root = mkdtempSync(join(tmpdir(), 'agent-bot-ws-'));
  manager = new WorkspaceManager({ rootDir: root, remoteBaseUrl: remote.baseUrl, maxRepoBytes: 100 * 1048576, maxFiles: 1000 });
  remote.createRepo('acme/app', {
    'README.md': '# app\n',
    'src/a.ts': 'export const a = 1;\n',
    'src/b.ts': 'export const b = 2;\n',
  });
});

afterEach(() => {
  remote.remove();
  rmSync(root, { recursive: true, force: true });
});

/** Everything git sees in a worktree that differs from HEAD, ignored files included. */
function dirtyFiles(dir: string): string {
  return execFileSync('git', ['-C', dir, 'status', '--porcelain', '--ignored', '--untracked-files=all'], { encoding: 'utf8' });
}

/** What an agent might leave: an edit, a new file, an ignored build output, a nested repository. */
function makeMess(dir: string): void {
  writeFileSync(join(dir, 'src/a.ts'), 'changed by the task\n');
  writeFileSync(join(dir, 'untracked.txt'), 'junk');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist/ignored.js'), 'junk');
  execFileSync('git', ['init', '--quiet', join(dir, 'nested')]);
}

function expectNoMess(dir: string): void {
  expect(readFileSync(join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
  for (const path of ['untracked.txt', 'dist', 'nested']) expect(existsSync(join(dir, path)), path).toBe(false);
  expect(dirtyFiles(dir)).toBe('');
}

function allFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('WorkspaceManager', () => {
  it('clones once, then reuses the worktree with nothing left from the previous task', async () => {
    const first = await manager.prepare({ repo: 'acme/app', taskId: 't1' });
    expect(first.cloned).toBe(true);
    expect(first.branch).toBe('agent-bot/t1');
    expect(first.baseBranch).toBe('main');
    expect(readFileSync(join(first.dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    writeFileSync(join(first.dir, 'src/a.ts'), 'changed by task 1\n');
    writeFileSync(join(first.dir, 'leftover.txt'), 'junk');
    writeFileSync(join(first.dir, '.gitignore-less-cache'), 'junk');
    const untouched = statSync(join(first.dir, 'src/b.ts')).ino;
    await first.release();

    remote.commit('acme/app', { 'src/c.ts': 'export const c = 3;\n' });
    const second = await manager.prepare({ repo: 'acme/app', taskId: 't2' });
    expect(second.cloned).toBe(false);
    expect(second.dir).toBe(first.dir);
    expect(readFileSync(join(second.dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(existsSync(join(second.dir, 'leftover.txt'))).toBe(false);
    expect(existsSync(join(second.dir, '.gitignore-less-cache'))).toBe(false);
    // The fetch before the task brought the new commit.
    expect(readFileSync(join(second.dir, 'src/c.ts'), 'utf8')).toBe('export const c = 3;\n');
    // A file that did not differ was not rewritten.
    expect(statSync(join(second.dir, 'src/b.ts')).ino).toBe(untouched);
    expect(await second.changedFiles()).toEqual([]);
    await second.release();
  });

  it('resets and cleans the worktree when the task releases it, so the next task starts at once', async () => {
    const base = remote.commit('acme/app', { '.gitignore': 'dist/\n' });
    const first = await manager.prepare({ repo: 'acme/app', taskId: 'r1' });
    expect(first.baseCommit).toBe(base);
    writeFileSync(join(first.dir, 'committed.txt'), 'the task committed this');
    expect(await first.commitAndPush({ message: 'task commit', author })).not.toBeNull();
    makeMess(first.dir);
    expect(dirtyFiles(first.dir)).toContain('dist/');
    await first.release();

    // Before anyone takes it: back at the base commit, detached, clean, the task branch gone.
    expectNoMess(first.dir);
    expect(existsSync(join(first.dir, 'committed.txt'))).toBe(false);
    expect(execFileSync('git', ['-C', first.dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim()).toBe(base);
    expect(() => execFileSync('git', ['-C', first.dir, 'symbolic-ref', '-q', 'HEAD'], { stdio: 'pipe' })).toThrow();
    const mirror = join(root, 'mirrors/acme/app.git');
    expect(execFileSync('git', ['--git-dir', mirror, 'branch', '--list'], { encoding: 'utf8' })).toBe('');

    const second = await manager.prepare({ repo: 'acme/app', taskId: 'r2' });
    expect(second.dir).toBe(first.dir);
    expectNoMess(second.dir);
    expect(execFileSync('git', ['-C', second.dir, 'symbolic-ref', 'HEAD'], { encoding: 'utf8' }).trim()).toBe(
      'refs/heads/agent-bot/r2',
    );
    expect(await second.changedFiles()).toEqual([]);
    await second.release();
  });

  it('cleans on prepare a worktree whose task crashed without releasing it, even with a forged release proof', async () => {
    remote.commit('acme/app', { '.gitignore': 'dist/\n' });
    const clean = await manager.prepare({ repo: 'acme/app', taskId: 'c0' });
    await clean.release();
    // An agent that read the proof while the worktree was free...
    const proof = readFileSync(`${clean.dir}.released`, 'utf8');

    const crashed = await manager.prepare({ repo: 'acme/app', taskId: 'c1' });
    expect(crashed.dir).toBe(clean.dir);
    expect(existsSync(`${crashed.dir}.released`)).toBe(false);
    makeMess(crashed.dir);
    // ...writes it back, and the task dies without release; its lock is taken over as a dead
    // process's lock would be.
    writeFileSync(`${crashed.dir}.released`, proof);
    rmSync(`${crashed.dir}.lock`);

    const next = await manager.prepare({ repo: 'acme/app', taskId: 'c2' });
    expect(next.dir).toBe(crashed.dir);
    expectNoMess(next.dir);
    await next.release();
  });

  it('cleans on prepare a worktree left by another worker process killed mid-task', async () => {
    remote.commit('acme/app', { '.gitignore': 'dist/\n' });
    // This process released the worktree clean and still remembers doing so.
    const before = await manager.prepare({ repo: 'acme/app', taskId: 'k0' });
    await before.release();

    // Another worker sharing WORKSPACE_DIR takes it, makes a mess and is SIGKILLed.
    const script = fileURLToPath(new URL('./test-support/crashing-task.ts', import.meta.url));
    const other = spawnSource(script, { args: [root, remote.baseUrl, 'acme/app', 'k1'] });
    try {
      await other.waitForOutput(/ready /, 30_000);
    } finally {
      other.kill();
    }
    await other.exited;
    expect(other.output()).toContain(`ready ${before.dir}`);
    expect(existsSync(join(before.dir, 'untracked.txt'))).toBe(true);

    const next = await manager.prepare({ repo: 'acme/app', taskId: 'k2' });
    expect(next.dir).toBe(before.dir);
    expectNoMess(next.dir);
    await next.release();
  });

  it('gives two concurrent tasks on one repository two worktrees', async () => {
    const [a, b] = await Promise.all([
      manager.prepare({ repo: 'acme/app', taskId: 'ta' }),
      manager.prepare({ repo: 'acme/app', taskId: 'tb' }),
    ]);
    expect(a.dir).not.toBe(b.dir);
    writeFileSync(join(a.dir, 'README.md'), 'from a\n');
    expect(readFileSync(join(b.dir, 'README.md'), 'utf8')).toBe('# app\n');
    await Promise.all([a.release(), b.release()]);
    const c = await manager.prepare({ repo: 'acme/app', taskId: 'tc' });
    expect([a.dir, b.dir]).toContain(c.dir);
    await c.release();
  });

  it('commits and pushes the task branch; nothing changed means no commit', async () => {
    const ws = await manager.prepare({ repo: 'acme/app', taskId: 'push1' });
    expect(await ws.commitAndPush({ message: 'nothing', author })).toBeNull();
    writeFileSync(join(ws.dir, 'src/a.ts'), 'export const a = 42;\n');
    writeFileSync(join(ws.dir, 'NEW.md'), 'new\n');
    expect((await ws.changedFiles()).sort()).toEqual(['NEW.md', 'src/a.ts']);
    const pushed = await ws.commitAndPush({ message: 'agent change', author, token: 'ghs_secret_token_123' });
    expect(pushed?.branch).toBe('agent-bot/push1');
    expect(remote.show('acme/app', 'agent-bot/push1', 'src/a.ts')).toBe('export const a = 42;\n');
    expect(remote.show('acme/app', 'agent-bot/push1', 'NEW.md')).toBe('new\n');
    expect(remote.show('acme/app', 'main', 'src/a.ts')).toBe('export const a = 1;\n');
    // Pushing again (a retried task) is idempotent.
    expect((await ws.commitAndPush({ message: 'agent change', author }))?.commit).toBe(pushed?.commit);
    await ws.release();
  });

  it('commits the files of a repository the agent created inside the worktree, not a gitlink', async () => {
    const ws = await manager.prepare({ repo: 'acme/app', taskId: 'nested1' });
    // An empty nested repository (git add refuses it) and one with a commit (it would become a gitlink).
    mkdirSync(join(ws.dir, 'empty-nest'));
    execFileSync('git', ['init', '--quiet', join(ws.dir, 'empty-nest')]);
    writeFileSync(join(ws.dir, 'empty-nest/index.ts'), 'export {};\n');
    mkdirSync(join(ws.dir, 'tool'));
    execFileSync('git', ['init', '--quiet', join(ws.dir, 'tool')]);
    writeFileSync(join(ws.dir, 'tool/run.sh'), 'echo run\n');
    execFileSync('git', ['-C', join(ws.dir, 'tool'), 'add', 'run.sh']);
    execFileSync('git', [
      '-C',
      join(ws.dir, 'tool'),
      '-c',
      'user.name=a',
      '-c',
      'user.email=a@b',
      'commit',
      '--quiet',
      '-m',
      'x',
    ]);
    // Deeper: a new directory whose subdirectory is a repository (git lists only the top one).
    mkdirSync(join(ws.dir, 'apps/web'), { recursive: true });
    execFileSync('git', ['init', '--quiet', join(ws.dir, 'apps/web')]);
    writeFileSync(join(ws.dir, 'apps/web/main.ts'), 'main();\n');
    expect(await ws.commitAndPush({ message: 'scaffold', author })).not.toBeNull();
    expect(remote.show('acme/app', 'agent-bot/nested1', 'apps/web/main.ts')).toBe('main();\n');
    expect(remote.show('acme/app', 'agent-bot/nested1', 'empty-nest/index.ts')).toBe('export {};\n');
    expect(remote.show('acme/app', 'agent-bot/nested1', 'tool/run.sh')).toBe('echo run\n');
    await ws.release();
  });

  it('never writes the token into git config or any file of the workspace', async () => {
    const token = 'ghs_never_store_me_987';
    const ws = await manager.prepare({ repo: 'acme/app', taskId: 'tok', token });
    writeFileSync(join(ws.dir, 'x.txt'), 'x');
    await ws.commitAndPush({ message: 'x', author, token });
    await ws.release();
    const files = allFilesUnder(root);
    expect(files.some((file) => file.endsWith('config'))).toBe(true);
    for (const file of files) expect(readFileSync(file).includes(token), file).toBe(false);
    const config = readFileSync(join(root, 'mirrors/acme/app.git/config'), 'utf8');
    expect(config).not.toContain('url =');
  });

  it('refuses traversal and option-injection names before git runs', async () => {
    for (const repo of ['../etc', 'acme/..', '-u/x', 'acme/--upload-pack=touch', 'a/b/c', 'acme/app;rm']) {
      await expect(manager.prepare({ repo, taskId: 'bad' })).rejects.toMatchObject({ code: 'REPO_NAME_INVALID' });
    }
    await expect(manager.prepare({ repo: 'acme/app', taskId: 'bad', baseBranch: '--orphan' })).rejects.toMatchObject({
      code: 'REF_NAME_INVALID',
    });
    await expect(manager.prepare({ repo: 'acme/app', taskId: '../x' })).rejects.toMatchObject({ code: 'REF_NAME_INVALID' });
    expect(readdirSync(root)).toEqual([]);
  });

  it('reports a missing branch, too many files and a too large repository clearly', async () => {
    await expect(manager.prepare({ repo: 'acme/app', taskId: 'nb', baseBranch: 'nope' })).rejects.toMatchObject({
      code: 'REPO_BRANCH_NOT_FOUND',
    });
    const few = new WorkspaceManager({ rootDir: root, remoteBaseUrl: remote.baseUrl, maxRepoBytes: 1e9, maxFiles: 2 });
    await expect(few.prepare({ repo: 'acme/app', taskId: 'f' })).rejects.toMatchObject({
      code: 'REPO_TOO_MANY_FILES',
      message: expect.stringContaining('WORKSPACE_MAX_FILES'),
    });
    const tiny = new WorkspaceManager({ rootDir: root, remoteBaseUrl: remote.baseUrl, maxRepoBytes: 10, maxFiles: 1000 });
    await expect(tiny.prepare({ repo: 'acme/app', taskId: 's' })).rejects.toMatchObject({ code: 'REPO_TOO_LARGE' });
  });

  it('repairs a worktree whose .git pointer the agent rewrote', async () => {
    const ws = await manager.prepare({ repo: 'acme/app', taskId: 'g1' });
    writeFileSync(join(ws.dir, '.git'), 'gitdir: /tmp/somewhere-else\n');
    await ws.release();
    const again = await manager.prepare({ repo: 'acme/app', taskId: 'g2' });
    expect(again.dir).toBe(ws.dir);
    const head = execFileSync('git', ['-C', again.dir, 'symbolic-ref', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(head).toBe('refs/heads/agent-bot/g2');
    await again.release();
  });
});
