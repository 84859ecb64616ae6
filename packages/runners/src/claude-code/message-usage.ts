import type { TaskUsage } from '@agent-bot/contracts';

/** Token counts of one Messages API answer, as the API reported them (any subset of fields). */
export interface ReportedUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/**
 * What a run has spent so far, summed over the model's answers (messages) as the CLI relays the
 * API's figures: `message_start` (input, cache, output so far), `message_delta` (the answer's
 * output, cumulative) and the `assistant` lines (which repeat the usage of `message_start`). Each
 * field keeps its highest value per message, so repeats never count twice.
 *
 * There is no cost here: the CLI prices a run only in its final `result` line, and the API's
 * answers carry no price. A run that ends without that line has its tokens, not a cost.
 */
export class MessageUsage {
  private readonly byMessage = new Map<string, { input: number; output: number }>();

  /** Records a report for `messageId`; true when the totals changed. */
  add(messageId: string, usage: ReportedUsage): boolean {
    const input = (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
    const output = usage.output_tokens ?? 0;
    const known = this.byMessage.get(messageId) ?? { input: 0, output: 0 };
    // message_delta may carry output only: a missing input field is "not reported", not zero.
    const next = {
      input: usage.input_tokens == null ? known.input : Math.max(known.input, input),
      output: Math.max(known.output, output),
    };
    if (this.byMessage.has(messageId) && next.input === known.input && next.output === known.output) return false;
    this.byMessage.set(messageId, next);
    return true;
  }

  /** Input + output tokens so far (for the token limit while the run goes on). */
  get tokens(): number {
    const { inputTokens, outputTokens } = this.total();
    return inputTokens + outputTokens;
  }

  /** The usage so far; cost 0 because nothing reported one (see the class comment). */
  total(): TaskUsage {
    let inputTokens = 0;
    let outputTokens = 0;
    for (const message of this.byMessage.values()) {
      inputTokens += message.input;
      outputTokens += message.output;
    }
    return { inputTokens, outputTokens, costUsd: 0, turns: this.byMessage.size };
  }
}
