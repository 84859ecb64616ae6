import type { TaskUsage } from '../task.js';
import type { CodeSearchHit } from './repository-index.port.js';

/** What a runner needs to do one task. The workspace is already prepared; the runner only edits it. */
export interface AgentRunInput {
  taskId: string;
  prompt: string;
  /** Working directory the agent may change; absent for chat tasks. */
  workdir?: string;
  model?: string;
  systemPrompt?: string;
  /** Hard limits; the runner stops itself (killing its process tree) past any of them. */
  limits: { timeoutMs: number; maxCostUsd: number; maxTurns?: number; maxTokens?: number };
  /** Ranked map of the repository (files and definitions) for the prompt, from the repository index. */
  repoMap?: string;
  /** Search of the repository index, offered to the agent as a tool where the runner supports tools. */
  searchCode?: (query: string) => Promise<CodeSearchHit[]>;
}

/**
 * One event stream type for every runner (Claude Code, Ollama, noop): the pipeline logs, streams
 * and records them without knowing which runner produced them.
 */
export type AgentEvent =
  | { kind: 'log'; message: string }
  | { kind: 'text'; text: string }
  | { kind: 'token'; token: string }
  | { kind: 'tool_call'; name: string; input: Record<string, unknown> }
  | { kind: 'tool_result'; name: string; ok: boolean; summary: string }
  /**
   * What the run has spent so far (cumulative), as the provider reported it, said after each model
   * answer. The `result` carries the final figures; this is what counts when a run never gets to
   * one (the runner threw, the worker stopped consuming it). No runner invents a cost here.
   */
  | { kind: 'usage'; usage: TaskUsage }
  | { kind: 'result'; ok: boolean; summary: string; usage: TaskUsage; sessionId?: string; errorCode?: string; model?: string };

export interface AgentRunner {
  readonly name: string;
  /** Yields events until a final `result`; aborting `signal` stops the agent and everything it started. */
  run(input: AgentRunInput, signal: AbortSignal): AsyncIterable<AgentEvent>;
}
