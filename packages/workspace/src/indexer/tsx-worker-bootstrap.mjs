// Source mode only (tests and benches run TypeScript through tsx): loader hooks registered in the
// main thread do not reach worker threads on Node 20, so the thread registers tsx itself and then
// loads the TypeScript worker. Built code (dist) starts parse-worker.js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.script);
