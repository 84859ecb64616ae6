import { describe, expect, it } from 'vitest';
import { mentionsHandle } from './mentions.js';

describe('mentionsHandle', () => {
  it.each([
    ['@agent-bot fix it', true],
    ['please @Agent-Bot, look', true],
    ['(@agent-bot)', true],
    ['line one\n@agent-bot: review', true],
    ['me@agent-bot.dev', false],
    ['@agent-bot-two fix', false],
    ['@agent-botany', false],
    ['@agent-bot[bot] said', false],
    ['see `@agent-bot fix`', false],
    ['```\n@agent-bot fix\n```', false],
    ['~~~sh\n@agent-bot fix\n~~~\nafter', false],
    ['> @agent-bot fix\nquoted only', false],
    ['<!-- @agent-bot fix -->', false],
    ['```\ncode\n```\n@agent-bot fix after the block', true],
    ['> quoted\n\n@agent-bot real request', true],
    ['', false],
  ])('%j -> %s', (text, expected) => {
    expect(mentionsHandle(text, 'agent-bot')).toBe(expected);
  });
});
