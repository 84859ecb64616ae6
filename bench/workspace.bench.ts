/**
 * Workspace ready for a 2,000-file repository: cold (mirror fetched from scratch from a local bare
 * repository, worktree checked out) vs warm (the next task on the same repository: fetch, switch
 * to the base commit on its branch), same run, beside a plain `git clone` as the baseline; also a
 * warm task whose base branch is one commit further on (those files rewritten).
 * Target: warm < 5% of cold. The repository is real source text with a few hundred commits of
 * history (bench/support/realistic-repo.ts), not a best case for the cold path.
 * Run alone: npx tsx --conditions=@agent-bot/source bench/workspace.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalGitRemote } from '@agent-bot/testing';
import { WorkspaceManager } from '@agent-bot/workspace';
import { buildRealisticRepo } from './support/realistic-repo.js';
import { median } from './support/synthetic-repo.js';

const FILES = 2000;
const COMMITS = 300;
const RUNS = 5;
/** Stand-in for the agent's run between prepare and release; not part of either measurement. */
const AGENT_RUN_MS = 1500;
const remote = createLocalGitRemote();
const scratch = mkdtempSync(join(tmpdir(), 'agent-bot-bench-ws-'));
const shape = buildRealisticRepo(join(remote.root, 'bench', 'repo.git'), {
  nodeModulesDir: fileURLToPath(new URL('../node_modules', import.meta.url)),
  fileCount: FILES,
  commitCount: COMMITS,
});
const options = { remoteBaseUrl: remote.baseUrl, maxRepoBytes: 1e10, maxFiles: 100_000 };
// Branch `next`: main plus one commit editing MOVED_FILES files, for a task whose base moved on.
const MOVED_FILES = 20;
{
  const work = join(scratch, 'seed');
  const git = (...args: string[]) => execFileSync('git', ['-C', work, ...args], { encoding: 'utf8' });
  execFileSync('git', ['clone', '--quiet', '--', `${remote.baseUrl}/bench/repo.git`, work]);
  const paths = git('ls-files').split('\n').filter(Boolean);
  for (let i = 0; i < MOVED_FILES; i++) {
    const path = join(work, paths[Math.floor((i * paths.length) / MOVED_FILES)] as string);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n// edited upstream\n`);
  }
  git('-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-am', 'upstream edit');
  git('push', '--quiet', 'origin', 'HEAD:refs/heads/next');
  rmSync(work, { recursive: true, force: true });
}

try {
  const clone: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const moved: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const cloneDir = join(scratch, `clone-${run}`);
    let started = performance.now();
    execFileSync('git', ['clone', '--quiet', '--', `${remote.baseUrl}/bench/repo.git`, cloneDir]);
    clone.push(performance.now() - started);

    const manager = new WorkspaceManager({ rootDir: join(scratch, `ws-${run}`), ...options });
    started = performance.now();
    const first = await manager.prepare({ repo: 'bench/repo', taskId: `cold-${run}` });
    cold.push(performance.now() - started);
    // The agent's run: at least a second or so on any real task (the model's first answer alone).
    await new Promise((resolve) => setTimeout(resolve, AGENT_RUN_MS));
    // The task leaves some mess behind, as an agent would: an edit, a new file, build output.
    const tracked = execFileSync('git', ['-C', first.dir, 'ls-files'], { encoding: 'utf8' }).split('\n');
    writeFileSync(join(first.dir, tracked[0] as string), 'changed');
    writeFileSync(join(first.dir, 'scratch.txt'), 'left over');
    mkdirSync(join(first.dir, 'dist'));
    writeFileSync(join(first.dir, 'dist', 'out.js'), 'built');
    await first.release();

    started = performance.now();
    const second = await manager.prepare({ repo: 'bench/repo', taskId: `warm-${run}` });
    warm.push(performance.now() - started);
    if (second.dir !== first.dir) throw new Error('warm task did not reuse the worktree');
    await second.release();

    started = performance.now();
    const third = await manager.prepare({ repo: 'bench/repo', taskId: `moved-${run}`, baseBranch: 'next' });
    moved.push(performance.now() - started);
    await third.release();
  }
  const [cloneMs, coldMs, warmMs, movedMs] = [median(clone), median(cold), median(warm), median(moved)];
  const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
  console.log(
    `workspace ready, ${FILES}-file repository from a local bare repository, median of ${RUNS} (tasks held ${AGENT_RUN_MS} ms)`,
  );
  console.log(
    `  repository: ${shape.files} files of real source (${mb(shape.worktreeBytes)} MB checked out), ${shape.commits} commits, pack ${mb(shape.packBytes)} MB`,
  );
  console.log(`  git clone (baseline)                 ${cloneMs.toFixed(0)} ms`);
  console.log(`  cold: mirror fetch + worktree         ${coldMs.toFixed(0)} ms  = ${(coldMs / cloneMs).toFixed(2)}x git clone`);
  console.log(
    `  warm: second task, same repository    ${warmMs.toFixed(0)} ms  = ${((100 * warmMs) / coldMs).toFixed(1)}% of cold (target < 5%) ${warmMs < 0.05 * coldMs ? 'OK' : 'MISSED'}`,
  );
  console.log(
    `  warm, base moved (${MOVED_FILES} files differ)    ${movedMs.toFixed(0)} ms  = ${((100 * movedMs) / coldMs).toFixed(1)}% of cold`,
  );
} finally {
  remote.remove();
  rmSync(scratch, { recursive: true, force: true });
}
