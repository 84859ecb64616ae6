/**
 * A worker process whose task dies mid-run, for the crash test: it prepares a workspace, leaves a
 * modified, an untracked and an ignored file (and a forged `.released` file beside the lock), prints
 * "ready <dir>" and hangs without releasing, so the test can SIGKILL it.
 * Usage: crashing-task.ts <rootDir> <remoteBaseUrl> <repo> <taskId>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceManager } from '../workspace-manager.js';

const [rootDir, remoteBaseUrl, repo, taskId] = process.argv.slice(2);
if (!rootDir || !remoteBaseUrl || !repo || !taskId)
  throw new Error('usage: crashing-task.ts <rootDir> <remoteBaseUrl> <repo> <taskId>');

const manager = new WorkspaceManager({ rootDir, remoteBaseUrl, maxRepoBytes: 100 * 1048576, maxFiles: 1000 });
const workspace = await manager.prepare({ repo, taskId });
writeFileSync(join(workspace.dir, 'src/a.ts'), 'changed by the crashed task\n');
writeFileSync(join(workspace.dir, 'untracked.txt'), 'left by the crashed task');
mkdirSync(join(workspace.dir, 'dist'), { recursive: true });
writeFileSync(join(workspace.dir, 'dist/ignored.js'), 'left by the crashed task');
writeFileSync(`${workspace.dir}.released`, 'forged');
process.stdout.write(`ready ${workspace.dir}\n`);
await new Promise(() => {});
