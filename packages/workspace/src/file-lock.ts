import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';

// Tells this process's locks from a previous process that had the same pid (pid 1 in a container).
const INSTANCE = randomBytes(6).toString('hex');

/**
 * An exclusive lock file holding the owner's pid. A lock whose process is gone (a worker killed
 * with SIGKILL) is taken over, so a crashed task never leaves a worktree unusable.
 */
export async function tryLock(path: string): Promise<(() => Promise<void>) | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}:${INSTANCE}`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const content = await readFile(path, 'utf8').catch(() => '');
      // Empty: another process is between creating and writing the file, unless that was long ago.
      if (content === '' && (await isRecent(path))) return null;
      const [pidText, instance] = content.split(':');
      const owner = Number.parseInt(pidText ?? '', 10);
      const held = owner === process.pid ? instance === INSTANCE : Number.isFinite(owner) && owner > 0 && isAlive(owner);
      if (held) return null;
      await rm(path, { force: true });
    }
  }
  return null;
}

/** Waits (polling) for the lock; used for the mirror, which every task on a repository needs briefly. */
export async function lock(path: string, timeoutMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const release = await tryLock(path);
    if (release) return release;
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isRecent(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs < 10_000;
}
