import { describe, expect, it } from 'vitest';
import { StreamJsonParser, usageOf } from './stream-json.js';

const line = (value: unknown) => JSON.stringify(value);
const start = (id: string, input: number, parent: string | null = null, cache = 0) =>
  line({
    type: 'stream_event',
    parent_tool_use_id: parent,
    event: {
      type: 'message_start',
      message: { id, usage: { input_tokens: input, output_tokens: 1, cache_read_input_tokens: cache } },
    },
  });
const delta = (output: number, parent: string | null = null) =>
  line({ type: 'stream_event', parent_tool_use_id: parent, event: { type: 'message_delta', usage: { output_tokens: output } } });
const assistant = (id: string, input: number, model = 'claude-x') =>
  line({
    type: 'assistant',
    message: { id, model, content: [{ type: 'text', text: 'hi' }], usage: { input_tokens: input, output_tokens: 1 } },
  });

describe('StreamJsonParser usage so far', () => {
  it('sums each answer once: message_start input (with cache reads), message_delta output, assistant repeats ignored', () => {
    const parser = new StreamJsonParser();
    expect(parser.parse(start('m1', 100, null, 50)).usage).toEqual({ inputTokens: 150, outputTokens: 1, costUsd: 0, turns: 1 });
    // The assistant line repeats message_start's usage (without the cache field here): no change.
    expect(parser.parse(assistant('m1', 100)).usage).toBeUndefined();
    expect(parser.parse(assistant('m1', 100)).usage).toBeUndefined();
    expect(parser.parse(delta(40)).usage).toEqual({ inputTokens: 150, outputTokens: 40, costUsd: 0, turns: 1 });
    parser.parse(start('m2', 300));
    parser.parse(delta(60));
    expect(parser.usageSoFar()).toEqual({ inputTokens: 450, outputTokens: 100, costUsd: 0, turns: 2 });
    expect(parser.tokensSoFar).toBe(550);
  });

  it("keeps a sub-agent's stream apart from the main one, and skips the CLI's synthetic notices", () => {
    const parser = new StreamJsonParser();
    parser.parse(start('main-1', 100));
    parser.parse(start('sub-1', 20, 'toolu_1'));
    parser.parse(delta(7, 'toolu_1'));
    parser.parse(delta(30));
    expect(parser.parse(assistant('synthetic-1', 0, '<synthetic>')).usage).toBeUndefined();
    expect(parser.usageSoFar()).toEqual({ inputTokens: 120, outputTokens: 37, costUsd: 0, turns: 2 });
  });

  it('a result line decides when there is one; without it the usage so far counts, with no cost', () => {
    const soFar = { inputTokens: 120, outputTokens: 37, costUsd: 0, turns: 2 };
    expect(usageOf(undefined, soFar)).toEqual(soFar);
    const result = {
      type: 'result' as const,
      subtype: 'success',
      is_error: true,
      total_cost_usd: 0.02,
      num_turns: 3,
      usage: { input_tokens: 100, cache_read_input_tokens: 20, output_tokens: 40 },
    };
    expect(usageOf(result, soFar)).toEqual({ inputTokens: 120, outputTokens: 40, costUsd: 0.02, turns: 3 });
  });
});
