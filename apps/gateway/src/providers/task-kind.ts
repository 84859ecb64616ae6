import type { TaskKind } from '@agent-bot/contracts';

const VERBS: Record<string, TaskKind> = {
  fix: 'fix',
  implement: 'fix',
  review: 'review',
  answer: 'answer',
  explain: 'answer',
  investigate: 'investigate',
  debug: 'investigate',
};

/**
 * The verb right after the mention (`@agent-bot review this`) picks the kind; otherwise the event's
 * default (an opened issue is a fix, a comment is a question to answer).
 */
export function kindFromText(text: string, mention: RegExp | null, fallback: TaskKind): TaskKind {
  let rest = text;
  if (mention) {
    const match = mention.exec(text);
    if (!match) return fallback;
    rest = text.slice(match.index + match[0].length);
  }
  const verb = /^[\s,:]*([A-Za-z]+)/.exec(rest)?.[1]?.toLowerCase();
  return (verb && VERBS[verb]) || fallback;
}
