import type { AgentEvent, TaskUsage } from '@agent-bot/contracts';
import { MessageUsage, type ReportedUsage } from './message-usage.js';

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
        usage?: ReportedUsage;
      };
    }
  | { type: 'user'; message: { content: ContentBlock[] | string } }
  /** A raw Messages API stream event (`--include-partial-messages`); only usage is read from them. */
  | {
      type: 'stream_event';
      parent_tool_use_id?: string | null;
      event: { type: string; message?: { id?: string; usage?: ReportedUsage }; usage?: ReportedUsage };
    }
  | ClaudeResultLine;

/** What a line told us besides events: usage so far, a retry of a failed API call, the result. */
export interface ParsedLine {
  events: AgentEvent[];
  /** The run's usage so far, when this line changed it. */
  usage?: TaskUsage;
  result?: ClaudeResultLine;
  apiRetry?: { status?: number; detail: string };
  model?: string;
}

/**
 * Turns one stream-json line into agent events. Tool names of results are remembered by tool use id,
 * and token usage is summed per API message (see MessageUsage): the `assistant` lines carry a
 * message's usage as it started (output often 1), its `message_delta` stream event the final output.
 */
export class StreamJsonParser {
  private readonly toolNames = new Map<string, string>();
  private readonly usage = new MessageUsage();
  /** The message each stream (the main agent, or a sub-agent's tool use) is answering now. */
  private readonly streaming = new Map<string, string>();

  /** Input + output tokens seen so far (for the token budget while the run is going). */
  get tokensSoFar(): number {
    return this.usage.tokens;
  }

  /** What the model's answers so far reported (no cost: only the result line has one). */
  usageSoFar(): TaskUsage {
    return this.usage.total();
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
        // The CLI's own error notices come as '<synthetic>' messages: no model answered them.
        const counted = usage && line.message.id && line.message.model !== '<synthetic>';
        const changed = counted ? this.usage.add(line.message.id as string, usage) : false;
        const events: AgentEvent[] = [];
        for (const block of line.message.content ?? []) {
          if (block.type === 'text' && block.text) events.push({ kind: 'text', text: block.text });
          if (block.type === 'tool_use' && block.name) {
            if (block.id) this.toolNames.set(block.id, block.name);
            events.push({ kind: 'tool_call', name: block.name, input: block.input ?? {} });
          }
        }
        return { events, model: line.message.model, ...(changed ? { usage: this.usage.total() } : {}) };
      }
      case 'stream_event':
        return this.streamEvent(line);
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

  /** `message_start` names the message and its input; `message_delta` brings its final output. */
  private streamEvent(line: Extract<Line, { type: 'stream_event' }>): ParsedLine {
    const stream = line.parent_tool_use_id ?? '';
    const { event } = line;
    let changed = false;
    if (event.type === 'message_start' && event.message) {
      const id = event.message.id ?? `${stream}#${this.streaming.size}`;
      this.streaming.set(stream, id);
      if (event.message.usage) changed = this.usage.add(id, event.message.usage);
    } else if (event.type === 'message_delta' && event.usage) {
      const id = this.streaming.get(stream);
      if (id) changed = this.usage.add(id, event.usage);
    }
    return changed ? { events: [], usage: this.usage.total() } : { events: [] };
  }
}

/**
 * The run's usage: the result line's figures (the CLI's totals and its price) when there is one;
 * otherwise what the model's answers reported so far, with no cost (none was reported).
 */
export function usageOf(result: ClaudeResultLine | undefined, soFar: TaskUsage): TaskUsage {
  if (!result?.usage) return { ...soFar, costUsd: result?.total_cost_usd ?? 0, turns: result?.num_turns ?? soFar.turns };
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
