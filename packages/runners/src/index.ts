export { ClaudeCodeRunner, type ClaudeCodeRunnerOptions } from './claude-code/claude-code-runner.js';
export { buildClaudeEnv } from './claude-code/claude-env.js';
export { describeApiError } from './claude-code/api-errors.js';
export { OllamaRunner, type OllamaRunnerOptions } from './ollama/ollama-runner.js';
export { WorkdirTools, PathRefused } from './ollama/workdir-tools.js';
