export { WorkspaceManager, type WorkspaceManagerOptions } from './workspace-manager.js';
export { assertRepoFullName, assertSafeRefName } from './git/repo-name.js';
export { runGit, type RunGitOptions } from './git/run-git.js';
export { taskBranch } from './git/task-branch.js';
export {
  RepositoryIndexer,
  listSourceFiles,
  type IndexStats,
  type RepositoryIndexerOptions,
} from './indexer/repository-indexer.js';
export { RepositoryIndex, wordsOf } from './indexer/repository-index.js';
export { MemoryRepositoryIndexStore } from './indexer/memory-index-store.js';
export { FileParser } from './indexer/parse-file.js';
export { languageOf } from './indexer/languages.js';
export { ParsePool } from './indexer/parse-pool.js';
