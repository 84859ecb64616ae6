import { describe, expect, it } from 'vitest';
import { loadConfig } from '../load-config.js';

describe('agents config', () => {
  it('enables no runner by default and has safe budgets', () => {
    const config = loadConfig({});
    expect(config.agents.claude).toBeUndefined();
    expect(config.agents.ollama).toBeUndefined();
    expect(config.agents.maxTokens).toBe(2_000_000);
    expect(config.agents.gitBaseUrl).toBe('https://github.com');
  });

  it('enables Claude Code with its allowed tools and Ollama with URL and model', () => {
    const config = loadConfig({
      ANTHROPIC_API_KEY: 'sk-x',
      CLAUDE_ALLOWED_TOOLS: 'Read, Write ,Edit',
      CLAUDE_MAX_TURNS: '7',
      OLLAMA_URL: 'http://127.0.0.1:11434',
      OLLAMA_MODEL: 'qwen2.5-coder',
      TASK_MAX_TOKENS: '5000',
    });
    expect(config.agents.claude).toMatchObject({
      apiKey: 'sk-x',
      allowedTools: ['Read', 'Write', 'Edit'],
      maxTurns: 7,
      bin: 'claude',
    });
    expect(config.agents.ollama).toEqual({ url: 'http://127.0.0.1:11434', model: 'qwen2.5-coder' });
    expect(config.agents.maxTokens).toBe(5000);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ OLLAMA_MODEL: 'llama3' })).toThrow(/OLLAMA_URL: is required when OLLAMA_MODEL is set/);
    expect(() => loadConfig({ GIT_BASE_URL: 'ssh://x' })).toThrow(/GIT_BASE_URL/);
    expect(() => loadConfig({ CLAUDE_MAX_TURNS: '0' })).toThrow(/CLAUDE_MAX_TURNS/);
  });
});
