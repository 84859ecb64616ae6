/** One definition found in a file. */
export interface IndexedSymbol {
  name: string;
  /** function, class, method, interface, type, variable... */
  kind: string;
  /** 1-based line of the definition. */
  line: number;
}

/** What the repository index knows about one file version (keyed by its git blob hash). */
export interface IndexedFile {
  path: string;
  /** Git blob id of the content: the same content is never parsed twice. */
  hash: string;
  language: string;
  symbols: IndexedSymbol[];
  /** Module specifiers as written (`./a.js`, `os.path`, `github.com/x/y`). */
  imports: string[];
  /** Distinct identifiers used in the file, for reference counts. */
  references: string[];
}

export interface FileVersion {
  path: string;
  hash: string;
}

/** Storage of the repository index per repository and commit (packages/db implements it). */
export interface RepositoryIndexStore {
  /** Of `files`, those whose (path, hash) is already indexed for `repo`. */
  existing(repo: string, files: FileVersion[]): Promise<Set<string>>;
  saveFiles(repo: string, files: IndexedFile[]): Promise<void>;
  /** Records which file versions make up `commit`. */
  saveCommit(repo: string, commit: string, files: FileVersion[]): Promise<void>;
  /** The indexed files of `commit`, or null when that commit was never indexed. */
  loadCommit(repo: string, commit: string): Promise<IndexedFile[] | null>;
}

/** A hit of a code search, for an agent's search tool. */
export interface CodeSearchHit {
  path: string;
  line: number;
  name: string;
  kind: string;
}
