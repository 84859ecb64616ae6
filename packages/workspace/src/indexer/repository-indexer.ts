import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileVersion, IndexedFile, RepositoryIndexStore } from '@agent-bot/contracts';
import { runGit } from '../git/run-git.js';
import { languageOf } from './languages.js';
import { FileParser } from './parse-file.js';
import { RepositoryIndex } from './repository-index.js';

export interface IndexStats {
  files: number;
  parsed: number;
  reused: number;
  durationMs: number;
}

export interface RepositoryIndexerOptions {
  store: RepositoryIndexStore;
  /**
   * Parses in this many worker threads when a run has many files to parse (cold index); small
   * re-indexes stay in the calling thread, where starting workers would cost more than they save.
   */
  parseFiles?: (dir: string, files: FileVersion[]) => Promise<IndexedFile[]>;
}

/**
 * Indexes a repository at a commit. The file list and content hashes come from git (no file is
 * read to be hashed); only file versions the store does not hold yet are read and parsed.
 */
export class RepositoryIndexer {
  private readonly parser = new FileParser();

  constructor(private readonly options: RepositoryIndexerOptions) {}

  async index(input: { repo: string; commit: string; dir: string }): Promise<{ index: RepositoryIndex; stats: IndexStats }> {
    const started = performance.now();
    const { store } = this.options;
    const cached = await store.loadCommit(input.repo, input.commit);
    if (cached) {
      return {
        index: new RepositoryIndex(cached),
        stats: { files: cached.length, parsed: 0, reused: cached.length, durationMs: performance.now() - started },
      };
    }
    const versions = await listSourceFiles(input.dir, input.commit);
    const known = await store.existing(input.repo, versions);
    const missing = versions.filter((v) => !known.has(`${v.path}\0${v.hash}`));
    const parsed = this.options.parseFiles
      ? await this.options.parseFiles(input.dir, missing)
      : await this.parseHere(input.dir, missing);
    await store.saveFiles(input.repo, parsed);
    // Files that failed to parse or were too big are left out of the commit, not retried forever.
    const kept = new Set(parsed.map((file) => `${file.path}\0${file.hash}`));
    const members = versions.filter((v) => known.has(`${v.path}\0${v.hash}`) || kept.has(`${v.path}\0${v.hash}`));
    await store.saveCommit(input.repo, input.commit, members);
    const files = (await store.loadCommit(input.repo, input.commit)) ?? [];
    return {
      index: new RepositoryIndex(files),
      stats: {
        files: members.length,
        parsed: parsed.length,
        reused: members.length - parsed.length,
        durationMs: performance.now() - started,
      },
    };
  }

  private async parseHere(dir: string, files: FileVersion[]): Promise<IndexedFile[]> {
    return parseFilesIn(this.parser, dir, files);
  }
}

/** Parses `files` under `dir` with one parser, skipping unreadable ones. */
export async function parseFilesIn(parser: FileParser, dir: string, files: FileVersion[]): Promise<IndexedFile[]> {
  const out: IndexedFile[] = [];
  for (const file of files) {
    const source = await readFile(join(dir, file.path), 'utf8').catch(() => null);
    if (source === null) continue;
    const indexed = await parser.parse(file.path, file.hash, source);
    if (indexed) out.push(indexed);
  }
  return out;
}

/** Parseable files of `commit` with their git blob ids, from `git ls-tree` (no file is read). */
export async function listSourceFiles(dir: string, commit: string): Promise<FileVersion[]> {
  const out = await runGit(['ls-tree', '-r', '-z', '--full-tree', commit], { cwd: dir });
  const files: FileVersion[] = [];
  for (const entry of out.split('\0')) {
    // "<mode> blob <hash>\t<path>"; symlinks (120000) and submodules are not indexed.
    const tab = entry.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, hash] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    if (type === 'blob' && mode?.startsWith('100') && hash && languageOf(path)) files.push({ path, hash });
  }
  return files;
}
