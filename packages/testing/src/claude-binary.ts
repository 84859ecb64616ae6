import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The pinned Claude Code CLI from the root devDependencies, so tests run the real binary. */
export function claudeBinary(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@anthropic-ai/claude-code/package.json')), 'bin', 'claude.exe');
}
