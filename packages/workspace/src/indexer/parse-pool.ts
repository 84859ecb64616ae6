import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileVersion, IndexedFile } from '@agent-bot/contracts';

/**
 * Parses in worker threads, so a cold index of a large repository uses every core. Workers start
 * lazily and stay for the next index; `close()` ends them. Small batches are better parsed in the
 * calling thread (the indexer decides by `minFilesForThreads`).
 */
export class ParsePool {
  private workers: Worker[] = [];
  private nextId = 0;

  constructor(private readonly size: number) {}

  async parse(dir: string, files: FileVersion[]): Promise<IndexedFile[]> {
    if (this.workers.length === 0) this.workers = Array.from({ length: this.size }, () => startWorker());
    // Round-robin by index spreads big and small files evenly enough.
    const chunks: FileVersion[][] = this.workers.map(() => []);
    for (const [index, file] of files.entries()) chunks[index % chunks.length]?.push(file);
    const results = await Promise.all(this.workers.map((worker, index) => this.send(worker, dir, chunks[index] ?? [])));
    return results.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers = [];
  }

  private send(worker: Worker, dir: string, files: FileVersion[]): Promise<IndexedFile[]> {
    if (files.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (message: { id: number; files?: IndexedFile[]; error?: string }) => {
        if (message.id !== id) return;
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (message.error !== undefined) reject(new Error(`parse worker failed: ${message.error}`));
        else resolve(message.files ?? []);
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(error);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ id, dir, files });
    });
  }
}

function startWorker(): Worker {
  const extension = extname(fileURLToPath(import.meta.url));
  const script = new URL(`./parse-worker${extension}`, import.meta.url);
  const worker =
    extension === '.ts'
      ? new Worker(new URL('./tsx-worker-bootstrap.mjs', import.meta.url), { workerData: { script: script.href } })
      : new Worker(script);
  worker.unref();
  return worker;
}
