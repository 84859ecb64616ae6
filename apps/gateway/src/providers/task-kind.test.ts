import { describe, expect, it } from 'vitest';
import { priorityFromLabels } from './github/priority-from-labels.js';
import { mentionPattern } from './mentions.js';
import { kindFromText } from './task-kind.js';

describe('kindFromText', () => {
  const mention = mentionPattern('agent-bot');
  it.each([
    ['@agent-bot fix the test', 'fix'],
    ['@agent-bot, review this please', 'review'],
    ['hey @agent-bot: investigate the crash', 'investigate'],
    ['@agent-bot debug it', 'investigate'],
    ['@agent-bot explain why', 'answer'],
    ['@agent-bot what is this?', 'answer'],
  ])('%j -> %s', (text, kind) => {
    expect(kindFromText(text, mention, 'answer')).toBe(kind);
  });
});

describe('priorityFromLabels', () => {
  it('takes the most urgent priority label and defaults to P2', () => {
    expect(priorityFromLabels([{ name: 'bug' }])).toBe('P2');
    expect(priorityFromLabels(undefined)).toBe('P2');
    expect(priorityFromLabels([{ name: 'priority:p3' }, { name: 'Priority: P1' }])).toBe('P1');
    expect(priorityFromLabels([{ name: 'priority/p0' }])).toBe('P0');
    expect(priorityFromLabels([{ name: 'priority:p9' }])).toBe('P2');
  });
});
