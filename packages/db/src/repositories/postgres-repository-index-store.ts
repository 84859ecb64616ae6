import type { FileVersion, IndexedFile, RepositoryIndexStore } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';

interface FileRow {
  path: string;
  content_hash: string;
  language: string;
  symbols: IndexedFile['symbols'];
  imports: string[];
  refs: string[];
}

const key = (path: string, hash: string) => `${path}\0${hash}`;

/** The repository index in PostgreSQL: file versions by content hash, commits as lists of them. */
export class PostgresRepositoryIndexStore implements RepositoryIndexStore {
  constructor(private readonly sql: Sql) {}

  async existing(repo: string, files: FileVersion[]): Promise<Set<string>> {
    if (files.length === 0) return new Set();
    const rows = await this.sql<{ path: string; content_hash: string }[]>`
      select f.path, f.content_hash
      from repo_index_files f
      join unnest(${this.sql.array(files.map((f) => f.path))}::text[], ${this.sql.array(files.map((f) => f.hash))}::text[])
        as w(path, content_hash) on w.path = f.path and w.content_hash = f.content_hash
      where f.repo = ${repo}`;
    return new Set(rows.map((row) => key(row.path, row.content_hash)));
  }

  async saveFiles(repo: string, files: IndexedFile[]): Promise<void> {
    // One statement per batch: the rows travel as a single JSON parameter.
    for (let start = 0; start < files.length; start += 1000) {
      const rows = files.slice(start, start + 1000).map((file) => ({
        path: file.path,
        hash: file.hash,
        language: file.language,
        symbols: file.symbols,
        imports: file.imports,
        refs: file.references,
      }));
      await this.sql`
        insert into repo_index_files (repo, path, content_hash, language, symbols, imports, refs)
        select ${repo}, x.path, x.hash, x.language, x.symbols, x.imports, x.refs
        from jsonb_to_recordset(${this.sql.json(rows as never)}::jsonb)
          as x(path text, hash text, language text, symbols jsonb, imports jsonb, refs jsonb)
        on conflict do nothing`;
    }
  }

  async saveCommit(repo: string, commit: string, files: FileVersion[]): Promise<void> {
    const list = files.map((file) => [file.path, file.hash]);
    await this.sql`
      insert into repo_index_commits (repo, commit_sha, files)
      values (${repo}, ${commit}, ${this.sql.json(list)})
      on conflict (repo, commit_sha) do update set files = excluded.files, indexed_at = now()`;
  }

  async loadCommit(repo: string, commit: string): Promise<IndexedFile[] | null> {
    const [snapshot] = await this.sql<{ files: [string, string][] }[]>`
      select files from repo_index_commits where repo = ${repo} and commit_sha = ${commit}`;
    if (!snapshot) return null;
    const rows = await this.sql<FileRow[]>`
      select f.path, f.content_hash, f.language, f.symbols, f.imports, f.refs
      from repo_index_files f
      join jsonb_array_elements(${this.sql.json(snapshot.files)}::jsonb) as w(pair)
        on f.path = w.pair->>0 and f.content_hash = w.pair->>1
      where f.repo = ${repo}`;
    return rows.map((row) => ({
      path: row.path,
      hash: row.content_hash,
      language: row.language,
      symbols: row.symbols,
      imports: row.imports,
      references: row.refs,
    }));
  }
}
