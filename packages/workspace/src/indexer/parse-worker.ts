import { parentPort } from 'node:worker_threads';
import type { FileVersion } from '@agent-bot/contracts';
import { FileParser } from './parse-file.js';
import { parseFilesIn } from './repository-indexer.js';

/** Worker thread body: parses the files it is sent with its own parser (and its own WASM heap). */
const parser = new FileParser();
parentPort?.on('message', async (message: { id: number; dir: string; files: FileVersion[] }) => {
  try {
    const files = await parseFilesIn(parser, message.dir, message.files);
    parentPort?.postMessage({ id: message.id, files });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
