import { afterEach, beforeEach } from 'vitest';
import { type Harness, createHarness } from './pipeline-harness.js';
import { type WorkerChild, startWorkerChild } from './worker-child-process.js';

/**
 * The lifecycle the SIGKILL drills share: before each test a harness with 2 s job locks (so a dead
 * worker's job is taken over quickly), handed to `onHarness`; after it, every worker child killed
 * and every stand-in closed, then the harness.
 */
export function useWorkerDrill(onHarness: (harness: Harness) => void) {
  const children: WorkerChild[] = [];
  const standIns: { close(): Promise<unknown> }[] = [];
  let harness: Harness;
  beforeEach(async () => {
    harness = await createHarness({ lockDurationMs: 2000 });
    onHarness(harness);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill();
    for (const standIn of standIns.splice(0)) await standIn.close();
    await harness.close();
  });
  return {
    /** A worker in its own process (worker-child.ts) on this test's harness, killed after the test. */
    async startChild(options: Parameters<typeof startWorkerChild>[1]): Promise<WorkerChild> {
      const child = await startWorkerChild(harness, options);
      children.push(child);
      return child;
    },
    /** `standIn`, closed after the test. */
    closeAfter<T extends { close(): Promise<unknown> }>(standIn: T): T {
      standIns.push(standIn);
      return standIn;
    },
  };
}
