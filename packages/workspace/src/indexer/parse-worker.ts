import { parentPort } from 'node:worker_threads';
import type { FileVersion } from '@agent-bot/contracts';
import { FileParser } from './parse-file.js';
import { parseFilesIn, readSourceSync } from './parse-files.js';

/** What the pool sends: a batch of files to parse, or (no `files`) a request to get ready. */
export interface ParseRequest {
  id: number;
  dir?: string;
  files?: FileVersion[];
  /** Languages of the whole run, so their grammars load together before the first file. */
  languages?: string[];
}

/**
 * Worker thread body: parses the batches it is sent with its own parser (and its own WASM heap).
 * Imports only the parser, not git or the store, so the thread starts fast. Requests are handled
 * one at a time, in order, although the pool keeps more than one in flight.
 */
const parser = new FileParser();
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (message: ParseRequest) => {
  queue = queue.then(() => handle(message));
});

async function handle(message: ParseRequest): Promise<void> {
  try {
    await parser.prepare(message.languages);
    const files = message.files ? await parseFilesIn(parser, message.dir ?? '', message.files, readSourceSync) : [];
    parentPort?.postMessage({ id: message.id, files });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
}
