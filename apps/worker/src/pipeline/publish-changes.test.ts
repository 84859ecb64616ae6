import { describe, expect, it } from 'vitest';
import { reviewReplyBody } from './publish-changes.js';
import { forkNote } from './work-base.js';

describe('reviewReplyBody', () => {
  it('says the summary, then why the change went to the default branch, then where it is', () => {
    expect(reviewReplyBody({ summary: 'Fixed greet.', note: forkNote(5), pullRequestUrl: 'https://gh.test/pull/9' })).toBe(
      `Fixed greet.\n\n> ${forkNote(5)}\n\nChanges: https://gh.test/pull/9`,
    );
    expect(reviewReplyBody({ summary: 'Nothing to change.' })).toBe('Nothing to change.');
  });

  it('cuts a long summary, never the note or the link', () => {
    const body = reviewReplyBody({ summary: 'x'.repeat(10_000), note: forkNote(5), pullRequestUrl: 'https://gh.test/pull/9' });
    expect(body).toHaveLength(6000);
    expect(body.endsWith(`> ${forkNote(5)}\n\nChanges: https://gh.test/pull/9`)).toBe(true);
  });
});
