import type { TestDatabase } from '@agent-bot/testing';

/** An issue_comment.created payload on octo/widgets#12 (labels priority:p1, bug) by `user`. */
export function issueComment(
  body: string,
  user: { login: string; type?: string },
  association = 'NONE',
  extra: Record<string, unknown> = {},
) {
  return {
    action: 'created',
    installation: { id: 77 },
    repository: { full_name: 'octo/widgets' },
    sender: user,
    issue: {
      number: 12,
      title: 'Flaky test in CI',
      body: 'It fails sometimes',
      html_url: 'https://github.com/octo/widgets/issues/12',
      labels: [{ name: 'priority:p1' }, { name: 'bug' }],
      user: { login: 'reporter' },
      author_association: 'NONE',
    },
    comment: {
      id: 9001,
      body,
      html_url: 'https://github.com/octo/widgets/issues/12#issuecomment-9001',
      user: { type: 'User', ...user },
      author_association: association,
    },
    ...extra,
  };
}

/** Rows in the inbox and task tables, to prove a rejected request stored nothing. */
export async function countRows(db: TestDatabase) {
  const [row] = await db.sql<[{ deliveries: number; tasks: number }]>`
    select (select count(*)::int from deliveries) as deliveries, (select count(*)::int from tasks) as tasks`;
  return row;
}
