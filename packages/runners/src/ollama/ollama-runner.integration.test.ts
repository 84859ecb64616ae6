import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent, AgentRunInput } from '@agent-bot/contracts';
import { type OllamaStandIn, type OllamaStep, freePort, startOllamaStandIn } from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OllamaRunner } from './ollama-runner.js';

let workdir: string;
let standIn: OllamaStandIn | undefined;

beforeEach(() => {
  workdir = mkdtempSync(join(tmpdir(), 'agent-bot-ollama-'));
  writeFileSync(join(workdir, 'greet.py'), 'def greet():\n    return "helo"\n');
});
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  rmSync(workdir, { recursive: true, force: true });
});

async function collect(runner: OllamaRunner, overrides: Partial<AgentRunInput> = {}) {
  const events: AgentEvent[] = [];
  const input: AgentRunInput = {
    taskId: 't',
    prompt: 'fix the typo',
    workdir,
    limits: { timeoutMs: 10_000, maxCostUsd: 1 },
    ...overrides,
  };
  for await (const event of runner.run(input, new AbortController().signal)) events.push(event);
  const result = events.at(-1);
  if (result?.kind !== 'result') throw new Error('no result');
  return { events, result };
}

async function runnerWith(script: OllamaStep[], models = ['qwen-test']) {
  standIn = await startOllamaStandIn({ models, script });
  return new OllamaRunner({ url: standIn.url, model: 'qwen-test', maxTurns: 8 });
}

describe('OllamaRunner through the official client', () => {
  it('reads, searches and writes with tool calls, streaming tokens', async () => {
    const runner = await runnerWith([
      { kind: 'tool_calls', calls: [{ name: 'search_code', arguments: { query: 'greet' } }] },
      { kind: 'tool_calls', calls: [{ name: 'read_file', arguments: { path: 'greet.py' } }] },
      {
        kind: 'tool_calls',
        calls: [{ name: 'write_file', arguments: { path: 'greet.py', content: 'def greet():\n    return "hello"\n' } }],
      },
      { kind: 'text', text: 'Fixed the typo in greet.' },
    ]);
    const { events, result } = await collect(runner, {
      repoMap: 'greet.py:\n  function greet (line 1)',
      searchCode: async () => [{ path: 'greet.py', line: 1, name: 'greet', kind: 'function' }],
    });
    expect(readFileSync(join(workdir, 'greet.py'), 'utf8')).toBe('def greet():\n    return "hello"\n');
    expect(result).toMatchObject({
      ok: true,
      summary: 'Fixed the typo in greet.',
      usage: { inputTokens: 800, outputTokens: 200, costUsd: 0, turns: 4 },
    });
    expect(events.filter((e) => e.kind === 'token').length).toBeGreaterThan(1);
    expect(events).toContainEqual({ kind: 'tool_result', name: 'search_code', ok: true, summary: 'greet.py:1 function greet' });
    // Tool results went back to the model, and the repository map was in the system prompt.
    expect(standIn?.chats[2]?.messages.at(-1)).toMatchObject({ role: 'tool', content: 'def greet():\n    return "helo"\n' });
    expect(standIn?.chats[0]?.messages[0]?.content).toContain('function greet (line 1)');
    expect(standIn?.chats[0]?.tools?.map((t) => t.function.name)).toContain('write_file');
  });

  it('refuses a path outside the working directory and tells the model', async () => {
    const runner = await runnerWith([
      { kind: 'tool_calls', calls: [{ name: 'write_file', arguments: { path: '../escaped.txt', content: 'x' } }] },
      { kind: 'text', text: 'ok' },
    ]);
    const { events } = await collect(runner);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'tool_result', name: 'write_file', ok: false }));
    expect(standIn?.chats[1]?.messages.at(-1)?.content).toMatch(/path refused/);
  });

  it('says when the model is not pulled', async () => {
    const runner = await runnerWith([{ kind: 'text', text: 'x' }], ['other-model']);
    const { result } = await collect(runner);
    expect(result).toMatchObject({ ok: false, errorCode: 'RUNNER_UNAVAILABLE' });
    expect(result.summary).toContain('model qwen-test is not pulled');
    expect(standIn?.chats).toHaveLength(0);
  });

  it('says when Ollama is not reachable', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { result } = await collect(new OllamaRunner({ url, model: 'm', maxTurns: 3 }));
    expect(result).toMatchObject({ ok: false, errorCode: 'RUNNER_UNAVAILABLE' });
    expect(result.summary).toContain(`Ollama is not reachable at ${url}`);
  });

  it('stops a hung model at the time limit', async () => {
    const runner = await runnerWith([{ kind: 'hang' }]);
    const started = Date.now();
    const { result } = await collect(runner, { limits: { timeoutMs: 1500, maxCostUsd: 1 } });
    expect(result).toMatchObject({ ok: false, errorCode: 'TASK_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops past the token budget', async () => {
    const runner = await runnerWith([{ kind: 'tool_calls', calls: [{ name: 'list_files', arguments: {} }] }]);
    const { result } = await collect(runner, { limits: { timeoutMs: 10_000, maxCostUsd: 1, maxTokens: 300 } });
    expect(result).toMatchObject({ ok: false, errorCode: 'TASK_BUDGET_TOKENS' });
    expect(result.summary).toContain('TASK_MAX_TOKENS');
  });

  it("a server error after a turn: the failed result and the usage said before it hold that turn's eval counts", async () => {
    const runner = await runnerWith([
      { kind: 'tool_calls', calls: [{ name: 'list_files', arguments: {} }] },
      { kind: 'error', status: 500, message: 'model crashed' },
    ]);
    const { events, result } = await collect(runner);
    expect(result).toMatchObject({ ok: false, errorCode: 'MODEL_API_ERROR' });
    // The stand-in reports 200 prompt and 50 eval tokens per answer; Ollama has no price.
    expect(result.usage).toMatchObject({ inputTokens: 200, outputTokens: 50, costUsd: 0 });
    expect(events.filter((e) => e.kind === 'usage')).toEqual([
      { kind: 'usage', usage: { inputTokens: 200, outputTokens: 50, costUsd: 0, turns: 1 } },
    ]);
  });
});
