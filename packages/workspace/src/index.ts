export { WorkspaceManager, type WorkspaceManagerOptions } from './workspace-manager.js';
export { assertRepoFullName, assertSafeRefName } from './git/repo-name.js';
export { runGit, type RunGitOptions } from './git/run-git.js';
