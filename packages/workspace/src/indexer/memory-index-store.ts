import type { FileVersion, IndexedFile, RepositoryIndexStore } from '@agent-bot/contracts';

/** The index kept in memory: for a worker without a database, tests of the indexer, and benches. */
export class MemoryRepositoryIndexStore implements RepositoryIndexStore {
  private readonly files = new Map<string, IndexedFile>();
  private readonly commits = new Map<string, FileVersion[]>();

  async existing(repo: string, files: FileVersion[]): Promise<Set<string>> {
    return new Set(files.filter((f) => this.files.has(`${repo}\0${f.path}\0${f.hash}`)).map((f) => `${f.path}\0${f.hash}`));
  }

  async saveFiles(repo: string, files: IndexedFile[]): Promise<void> {
    for (const file of files) this.files.set(`${repo}\0${file.path}\0${file.hash}`, file);
  }

  async saveCommit(repo: string, commit: string, files: FileVersion[]): Promise<void> {
    this.commits.set(`${repo}\0${commit}`, files);
  }

  async loadCommit(repo: string, commit: string): Promise<IndexedFile[] | null> {
    const versions = this.commits.get(`${repo}\0${commit}`);
    if (!versions) return null;
    return versions.flatMap((v) => this.files.get(`${repo}\0${v.path}\0${v.hash}`) ?? []);
  }
}
