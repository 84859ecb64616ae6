import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type FileVersion, type IndexedFile } from '@agent-bot/contracts';
import { languageOf } from './languages.js';
import type { ParseRequest } from './parse-worker.js';

/**
 * Guided batches: each takes this fraction of the remaining files per thread, so batches start
 * large (few messages) and shrink towards the end (no thread is left with a long tail).
 */
const SHARE_OF_REMAINING = 4;
const MIN_BATCH = 8;
/** Batches a thread holds at once, so it never waits for the next one to arrive. */
const IN_FLIGHT_PER_THREAD = 2;

interface ParseReply {
  id: number;
  files?: IndexedFile[];
  error?: string;
}

/**
 * Parses in worker threads, so a cold index of a large repository uses every core. Workers start
 * on `start()` or the first parse, and stay for the next index; `close()` ends them. Small batches
 * are better parsed in the calling thread (the indexer decides by `minFilesForThreads`).
 *
 * Files go out in batches from one shared queue: a thread that finishes early takes the next
 * batch, so a few large files cannot leave one core idle while the other works through them.
 */
export class ParsePool {
  private workers: Worker[] = [];
  private started: Promise<void> | null = null;
  private nextId = 0;

  constructor(private readonly size: number) {}

  /**
   * Starts the threads and initialises their parsers (no grammar is loaded yet): a cost paid once
   * per pool. `parse` calls it; call it earlier to take that cost off the first index.
   */
  start(): Promise<void> {
    if (!this.started) {
      const workers = Array.from({ length: this.size }, () => startWorker());
      this.workers = workers;
      this.started = Promise.all(workers.map((worker) => this.send(worker, {}))).then(
        () => undefined,
        async (error: unknown) => {
          // Threads that failed to start are dropped, so the next call starts fresh ones.
          if (this.workers === workers) await this.close();
          throw error;
        },
      );
    }
    return this.started;
  }

  async parse(dir: string, files: FileVersion[]): Promise<IndexedFile[]> {
    await this.start();
    const workers = this.workers;
    if (workers.length === 0) throw new AppError('INDEX_PARSE_FAILED', 'the parse pool was closed during the run');
    const languages = [...new Set(files.flatMap((file) => languageOf(file.path)?.id ?? []))];
    const results: IndexedFile[][] = [];
    let next = 0;
    const lane = async (worker: Worker) => {
      while (next < files.length) {
        const size = Math.max(MIN_BATCH, Math.ceil((files.length - next) / (workers.length * SHARE_OF_REMAINING)));
        const index = results.length;
        results.push([]);
        const batch = files.slice(next, next + size);
        next += batch.length;
        results[index] = await this.send(worker, { dir, files: batch, languages });
      }
    };
    try {
      await Promise.all(workers.flatMap((worker) => Array.from({ length: IN_FLIGHT_PER_THREAD }, () => lane(worker))));
    } catch (error) {
      // A thread failed or died: end them all, so the next run starts from fresh threads.
      if (this.workers === workers) await this.close();
      throw error;
    }
    // Batches are cut in order and their results kept in that order: the result follows `files`.
    return results.flat();
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    this.started = null;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private send(worker: Worker, request: Omit<ParseRequest, 'id'>): Promise<IndexedFile[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (message: ParseReply) => {
        if (message.id !== id) return;
        done();
        if (message.error !== undefined) reject(new AppError('INDEX_PARSE_FAILED', `parse worker failed: ${message.error}`));
        else resolve(message.files ?? []);
      };
      const onError = (error: Error) => {
        done();
        reject(new AppError('INDEX_PARSE_FAILED', `parse worker crashed: ${error.message}`, { cause: error }));
      };
      // A thread that ends (terminated by close(), or crashed) never answers: fail instead of waiting.
      const onExit = (code: number) => {
        done();
        reject(new AppError('INDEX_PARSE_FAILED', `parse worker exited with code ${code}`));
      };
      // threadId is -1 once a thread has ended: its exit event has already been emitted.
      if (worker.threadId === -1) {
        onExit(-1);
        return;
      }
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ ...request, id });
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
