import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent } from '@agent-bot/contracts';
import { type AnthropicStandIn, type AnthropicStep, claudeBinary, startAnthropicStandIn, waitFor } from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaudeCodeRunner } from './claude-code-runner.js';

let workdir: string;
let runsDir: string;
let standIn: AnthropicStandIn | undefined;

beforeEach(() => {
  workdir = mkdtempSync(join(tmpdir(), 'agent-bot-cc-wd-'));
  runsDir = mkdtempSync(join(tmpdir(), 'agent-bot-cc-runs-'));
});

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  rmSync(workdir, { recursive: true, force: true });
  rmSync(runsDir, { recursive: true, force: true });
});

async function run(script: AnthropicStep[], options: { allowedTools?: string[]; timeoutMs?: number; maxTokens?: number } = {}) {
  standIn = await startAnthropicStandIn({ script });
  const runner = new ClaudeCodeRunner({
    command: claudeBinary(),
    apiKey: 'sk-ant-test-key',
    baseUrl: standIn.url,
    allowedTools: options.allowedTools ?? ['Read', 'Write', 'Edit'],
    maxTurns: 10,
    runsDir,
    maxRetries: 0,
  });
  const events: AgentEvent[] = [];
  const started = Date.now();
  for await (const event of runner.run(
    {
      taskId: 'task-1',
      prompt: 'change the code',
      workdir,
      limits: { timeoutMs: options.timeoutMs ?? 60_000, maxCostUsd: 5, maxTokens: options.maxTokens },
    },
    new AbortController().signal,
  )) {
    events.push(event);
  }
  const result = events.at(-1);
  if (result?.kind !== 'result') throw new Error('no result event');
  return { events, result, ms: Date.now() - started };
}

describe('ClaudeCodeRunner with the real CLI against the Messages API stand-in', () => {
  it('writes a file and reports tokens, cost, turns and the session', async () => {
    const { events, result } = await run([
      { kind: 'tool_use', name: 'Write', input: { file_path: join(workdir, 'hello.ts'), content: 'export const hello = 1;\n' } },
      { kind: 'text', text: 'Created hello.ts.' },
    ]);
    expect(readFileSync(join(workdir, 'hello.ts'), 'utf8')).toBe('export const hello = 1;\n');
    expect(result).toMatchObject({ ok: true, summary: 'Created hello.ts.' });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.costUsd).toBeGreaterThan(0);
    expect(result.usage.turns).toBe(2);
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'tool_call', name: 'Write' }));
    expect(events).toContainEqual(expect.objectContaining({ kind: 'tool_result', name: 'Write', ok: true }));
    // The key reached the API as the CLI's credential, and the per-run directories were removed.
    expect(standIn?.agentTurns()[0]?.headers['x-api-key']).toBe('sk-ant-test-key');
    expect(existsSync(join(runsDir, 'task-1'))).toBe(false);
  });

  it('edits an existing file after reading it', async () => {
    writeFileSync(join(workdir, 'math.py'), 'def add(a, b):\n    return a - b\n');
    const { result } = await run([
      { kind: 'tool_use', name: 'Read', input: { file_path: join(workdir, 'math.py') } },
      {
        kind: 'tool_use',
        name: 'Edit',
        input: { file_path: join(workdir, 'math.py'), old_string: 'return a - b', new_string: 'return a + b' },
      },
      { kind: 'text', text: 'Fixed add.' },
    ]);
    expect(result.ok).toBe(true);
    expect(readFileSync(join(workdir, 'math.py'), 'utf8')).toBe('def add(a, b):\n    return a + b\n');
  });

  it('refuses a tool that is not allowed', async () => {
    const { events, result } = await run([
      { kind: 'tool_use', name: 'Bash', input: { command: `touch ${join(workdir, 'pwned')}` } },
      { kind: 'text', text: 'Tried.' },
    ]);
    expect(existsSync(join(workdir, 'pwned'))).toBe(false);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'tool_result', name: 'Bash', ok: false }));
    expect(result.summary).toContain('refused tools: Bash');
  });

  it('confines the file tools to the working directory', async () => {
    const outside = join(runsDir, 'outside.txt');
    writeFileSync(join(runsDir, 'secret.txt'), 'other task');
    const { events, result } = await run([
      { kind: 'tool_use', name: 'Write', input: { file_path: outside, content: 'escaped' } },
      { kind: 'tool_use', name: 'Read', input: { file_path: join(runsDir, 'secret.txt') } },
      { kind: 'tool_use', name: 'Write', input: { file_path: join(workdir, 'inside.txt'), content: 'ok' } },
      { kind: 'text', text: 'done' },
    ]);
    expect(existsSync(outside)).toBe(false);
    expect(readFileSync(join(workdir, 'inside.txt'), 'utf8')).toBe('ok');
    const results = events.filter((e) => e.kind === 'tool_result').map((e) => e.kind === 'tool_result' && [e.name, e.ok]);
    expect(results).toEqual([
      ['Write', false],
      ['Read', false],
      ['Write', true],
    ]);
    expect(result.summary).toContain('refused tools: Write, Read');
  });

  it('gives the agent only allowlisted environment variables and its own HOME', async () => {
    process.env.DATABASE_URL = 'postgres://leak-me@db/prod';
    process.env.GITHUB_PRIVATE_KEY = 'leak-me-key';
    try {
      await run(
        [
          { kind: 'tool_use', name: 'Bash', input: { command: `env > ${join(workdir, 'env.txt')}` } },
          { kind: 'text', text: 'done' },
        ],
        { allowedTools: ['Bash'] },
      );
    } finally {
      delete process.env.DATABASE_URL;
      delete process.env.GITHUB_PRIVATE_KEY;
    }
    const env = readFileSync(join(workdir, 'env.txt'), 'utf8');
    expect(env).not.toContain('leak-me');
    expect(env).not.toMatch(/^(DATABASE_URL|REDIS_URL|ENCRYPTION_KEY|GITHUB_[A-Z_]+)=/m);
    expect(env).toMatch(new RegExp(`^HOME=${runsDir}/task-1-[0-9a-f]+/home$`, 'm'));
    expect(env).toMatch(/^DISABLE_TELEMETRY=1$/m);
  });

  it.each([
    [500, 'MODEL_API_ERROR'],
    [529, 'MODEL_OVERLOADED'],
    [401, 'MODEL_AUTH_FAILED'],
  ])('turns an API %i into %s within seconds', async (status, code) => {
    const { result, ms } = await run([{ kind: 'error', status }]);
    expect(result).toMatchObject({ ok: false, errorCode: code });
    expect(result.summary).toContain(String(status));
    expect(ms).toBeLessThan(20_000);
  });

  it('kills the whole process tree at the time limit, including commands in their own session', async () => {
    const marker = 400_000 + Math.floor(Math.random() * 99_999);
    const { events, result, ms } = await run(
      [
        {
          kind: 'tool_use',
          name: 'Bash',
          input: { command: `setsid sleep ${marker} > /dev/null 2>&1 & echo started`, run_in_background: false },
        },
        { kind: 'hang' },
      ],
      { allowedTools: ['Bash'], timeoutMs: 6000 },
    );
    // The escaped command really started before the limit hit.
    expect(events).toContainEqual(expect.objectContaining({ kind: 'tool_result', name: 'Bash', ok: true }));
    expect(result).toMatchObject({ ok: false, errorCode: 'TASK_TIMEOUT' });
    expect(result.summary).toContain('TASK_TIMEOUT_SECONDS');
    expect(ms).toBeLessThan(15_000);
    await waitFor('no process left behind', () => {
      const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
      return !ps.includes(`sleep ${marker}`) && !ps.includes(runsDir);
    });
  });

  describe('what a failed run spent (the stand-in reports 1200 input and 300 output tokens per answer)', () => {
    it("killed at the time limit after a turn: that turn's tokens as the API reported them, and no cost", async () => {
      writeFileSync(join(workdir, 'notes.txt'), 'hello\n');
      const { events, result } = await run(
        [{ kind: 'tool_use', name: 'Read', input: { file_path: join(workdir, 'notes.txt') } }, { kind: 'hang' }],
        { timeoutMs: 8000 },
      );
      expect(result).toMatchObject({ ok: false, errorCode: 'TASK_TIMEOUT' });
      // No result line: the figures come from the answer's stream events (message_start and
      // message_delta), not a guess; the CLI prices only in its result, so the cost stays 0.
      expect(result.usage).toEqual({ inputTokens: 1200, outputTokens: 300, costUsd: 0, turns: 1 });
      expect(events).toContainEqual({ kind: 'usage', usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0, turns: 1 } });
      expect(events).toContainEqual({ kind: 'log', message: expect.stringContaining('claude ended without a result') });
    });

    it("a model API 500 after a turn: the CLI's own totals and price for the turn that was answered", async () => {
      writeFileSync(join(workdir, 'notes.txt'), 'hello\n');
      const { events, result } = await run([
        { kind: 'tool_use', name: 'Read', input: { file_path: join(workdir, 'notes.txt') } },
        { kind: 'error', status: 500 },
      ]);
      expect(result).toMatchObject({ ok: false, errorCode: 'MODEL_API_ERROR' });
      expect(result.usage).toMatchObject({ inputTokens: 1200, outputTokens: 300 });
      expect(result.usage.costUsd).toBeGreaterThan(0);
      // Said while the run went on, before the failure.
      const usageEvents = events.filter((e) => e.kind === 'usage');
      expect(usageEvents.at(-1)).toEqual({
        kind: 'usage',
        usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0, turns: 1 },
      });
      expect(events.indexOf(usageEvents[0] as AgentEvent)).toBeLessThan(events.findIndex((e) => e.kind === 'tool_result'));
    });
  });
});
