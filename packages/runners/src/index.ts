export { ClaudeCodeRunner, type ClaudeCodeRunnerOptions } from './claude-code/claude-code-runner.js';
export { buildClaudeEnv } from './claude-code/claude-env.js';
export { describeApiError } from './claude-code/api-errors.js';
