import { describe, expect, it } from 'vitest';
import { unsuccessfulReplyBody } from './review-thread.js';

const detailsUrl = 'https://gh.test/octo/repo/issues/5#issuecomment-9';

describe('unsuccessfulReplyBody', () => {
  it('says how it ended in one line, then links to the details', () => {
    expect(
      unsuccessfulReplyBody({ kind: 'failed', code: 'TASK_TIMEOUT', message: 'task stopped: job exceeded 60000 ms', detailsUrl }),
    ).toBe(`agent-bot failed (\`TASK_TIMEOUT\`): task stopped: job exceeded 60000 ms\n\nDetails and how to retry: ${detailsUrl}`);
    expect(unsuccessfulReplyBody({ kind: 'cancelled', message: 'cancelled by alice', detailsUrl })).toBe(
      `agent-bot was cancelled: cancelled by alice\n\nDetails and how to retry: ${detailsUrl}`,
    );
  });

  it('keeps only the first line of the cause, cut short; the link always survives', () => {
    const body = unsuccessfulReplyBody({ kind: 'failed', code: 'X', message: `${'y'.repeat(5000)}\nsecond line`, detailsUrl });
    expect(body).not.toContain('second line');
    expect(body.split('\n')[0]?.length).toBeLessThan(330);
    expect(body.endsWith(detailsUrl)).toBe(true);
  });
});
