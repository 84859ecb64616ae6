import type { FileVersion, IndexedFile, RepositoryIndexStore } from '@agent-bot/contracts';
import { runGit } from '../git/run-git.js';
import { languageOf } from './languages.js';
import { FileParser } from './parse-file.js';
import { parseFilesIn } from './parse-files.js';
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
   * Parses in worker threads when a run has at least `minFilesForThreads` files to parse (a cold
   * index); small re-indexes stay in the calling thread, where a message round trip costs more.
   */
  pool?: { parse(dir: string, files: FileVersion[]): Promise<IndexedFile[]> };
  minFilesForThreads?: number;
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
    const pool = this.options.pool;
    const threaded = pool !== undefined && missing.length >= (this.options.minFilesForThreads ?? 200);
    const parsed = threaded ? await pool.parse(input.dir, missing) : await this.parseHere(input.dir, missing);
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
