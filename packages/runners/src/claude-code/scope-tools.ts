/** Tools whose permission rules take a path: scoped to the task's working directory. */
const PATH_TOOLS = new Set(['Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Glob', 'Grep', 'LS']);

/**
 * Turns the configured tool names into permission rules confined to `workdir`. A bare `Write`
 * lets the CLI write any path the worker can (measured: a Write to /tmp succeeds), which would
 * reach the mirror's git config, other tasks' worktrees and the worker's files. `//` marks an
 * absolute path in Claude Code's permission rules. Tools given with their own rule stay as given.
 */
export function scopeAllowedTools(tools: string[], workdir: string): string[] {
  const root = workdir.replace(/\/+$/, '');
  return tools.map((tool) => (PATH_TOOLS.has(tool) ? `${tool}(/${root}/**)` : tool));
}
