import type { AgentEvent, TaskUsage } from '@agent-bot/contracts';

/** The `result` line of `--output-format stream-json`, the fields we use. */
export interface ClaudeResultLine {
  type: 'result';
  subtype: string;
  is_error: boolean;
  api_error_status?: number | null;
  result?: string;
  total_cost_usd?: number;
  num_turns?: number;
  session_id?: string;
  usage?: {
    input_tokens?: number;
    output_tokens?: number;
    cache_creation_input_tokens?: number;
    cache_read_input_tokens?: number;
  };
  permission_denials?: { tool_name: string; tool_input?: unknown }[];
  errors?: string[];
}

interface ContentBlock {
  type: string;
  text?: string;
  name?: string;
  id?: string;
  input?: Record<string, unknown>;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

type Line =
  | {
      type: 'system';
      subtype: string;
      session_id?: string;
      model?: string;
      error_status?: number;
      error?: unknown;
      attempt?: number;
    }
  | {
      type: 'assistant';
      message: {
        id?: string;
        model?: string;
        content: ContentBlock[];
        usage?: { input_tokens?: number; output_tokens?: number };
      };
    }
  | { type: 'user'; message: { content: ContentBlock[] | string } }
  | ClaudeResultLine;

/** What a line told us besides events: usage so far, a retry of a failed API call, the result. */
export interface ParsedLine {
  events: AgentEvent[];
  result?: ClaudeResultLine;
  apiRetry?: { status?: number; detail: string };
  model?: string;
}

/**
 * Turns one stream-json line into agent events. Tool names of results are remembered by tool use id,
 * and token usage is summed per API message (the CLI repeats a message's usage on each of its blocks).
 */
export class StreamJsonParser {
  private readonly toolNames = new Map<string, string>();
  private readonly messageTokens = new Map<string, number>();

  /** Input + output tokens seen so far (for the token budget while the run is going). */
  get tokensSoFar(): number {
    let sum = 0;
    for (const value of this.messageTokens.values()) sum += value;
    return sum;
  }

  parse(raw: string): ParsedLine {
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      return raw.trim() ? { events: [{ kind: 'log', message: raw.slice(0, 2000) }] } : { events: [] };
    }
    switch (line.type) {
      case 'system':
        if (line.subtype === 'init')
          return {
            events: [{ kind: 'log', message: `claude session ${line.session_id ?? '?'} (model ${line.model ?? 'default'})` }],
            model: line.model,
          };
        if (line.subtype === 'api_retry') {
          const detail = typeof line.error === 'string' ? line.error : JSON.stringify(line.error ?? '');
          return {
            events: [{ kind: 'log', message: `model API error ${line.error_status ?? ''}, retry ${line.attempt ?? ''}` }],
            apiRetry: { status: line.error_status, detail },
          };
        }
        return { events: [] };
      case 'assistant': {
        const usage = line.message.usage;
        if (usage && line.message.id)
          this.messageTokens.set(line.message.id, (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0));
        const events: AgentEvent[] = [];
        for (const block of line.message.content ?? []) {
          if (block.type === 'text' && block.text) events.push({ kind: 'text', text: block.text });
          if (block.type === 'tool_use' && block.name) {
            if (block.id) this.toolNames.set(block.id, block.name);
            events.push({ kind: 'tool_call', name: block.name, input: block.input ?? {} });
          }
        }
        return { events, model: line.message.model };
      }
      case 'user': {
        const content = Array.isArray(line.message.content) ? line.message.content : [];
        const events: AgentEvent[] = content
          .filter((block) => block.type === 'tool_result')
          .map((block) => ({
            kind: 'tool_result' as const,
            name: this.toolNames.get(block.tool_use_id ?? '') ?? 'tool',
            ok: block.is_error !== true,
            summary: summarize(block.content),
          }));
        return { events };
      }
      case 'result':
        return { events: [], result: line };
      default:
        return { events: [] };
    }
  }
}

export function usageOf(result: ClaudeResultLine | undefined, fallbackTokens: number): TaskUsage {
  if (!result?.usage)
    return { inputTokens: fallbackTokens, outputTokens: 0, costUsd: result?.total_cost_usd ?? 0, turns: result?.num_turns };
  const u = result.usage;
  return {
    inputTokens: (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0),
    outputTokens: u.output_tokens ?? 0,
    costUsd: result.total_cost_usd ?? 0,
    turns: result.num_turns,
  };
}

function summarize(content: unknown): string {
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((c) => (c as { text?: string }).text ?? '').join(' ')
        : '';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
