import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileVersion, IndexedFile } from '@agent-bot/contracts';
import type { FileParser } from './parse-file.js';

/** Reads a file's text, or null when it cannot be read (deleted, permissions). */
export type ReadSource = (path: string) => Promise<string | null> | string | null;

/** Reads without blocking: for the calling thread, which also serves the event loop. */
export const readSourceAsync: ReadSource = (path) => readFile(path, 'utf8').catch(() => null);

/**
 * Reads with a blocking call: for parse worker threads, which have nothing else to do meanwhile.
 * `fs/promises` readFile makes four thread-pool round trips per file (about 0.2 ms each here,
 * ~450 ms for 2,000 files, against ~15 ms read synchronously).
 */
export const readSourceSync: ReadSource = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** Reads started ahead of the parser, so it does not wait on each file's thread-pool round trips. */
const READ_AHEAD = 8;

/**
 * Parses `files` under `dir` with one parser, skipping unreadable ones. Kept apart from the
 * indexer so a parse worker thread loads only the parser, not git or the store.
 */
export async function parseFilesIn(
  parser: FileParser,
  dir: string,
  files: FileVersion[],
  read: ReadSource = readSourceAsync,
): Promise<IndexedFile[]> {
  const out: IndexedFile[] = [];
  const reads: (Promise<string | null> | string | null)[] = [];
  const readAt = (index: number) => {
    const file = files[index];
    if (file) reads[index] = read(join(dir, file.path));
  };
  for (let index = 0; index < READ_AHEAD; index++) readAt(index);
  for (const [index, file] of files.entries()) {
    const source = await reads[index];
    reads[index] = null;
    readAt(index + READ_AHEAD);
    if (source === null || source === undefined) continue;
    const indexed = await parser.parse(file.path, file.hash, source);
    if (indexed) out.push(indexed);
  }
  return out;
}
