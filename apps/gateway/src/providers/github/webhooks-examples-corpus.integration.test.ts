import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryRepositoryPermissions } from '../../test-support/in-memory-permissions.js';
import { type TestGateway, createTestGateway, githubHeaders } from '../../test-support/test-gateway.js';

/**
 * Every payload of GitHub's published webhook examples (npm @octokit/webhooks-examples,
 * api.github.com), signed and posted through the real route, database and queue.
 */
interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}
const require = createRequire(import.meta.url);
const corpus = JSON.parse(
  readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
) as ExampleGroup[];

const BOT_HANDLE = 'agent-bot';
// `bug` is the label the corpus uses, so label triggers are exercised by unmodified payloads.
const BOT_LABEL = 'bug';
const WRITERS: Record<string, 'write'> = { Codertocat: 'write' };

// biome-ignore lint/suspicious/noExplicitAny: corpus payloads are arbitrary JSON, read field by field
type Any = Record<string, any>;

/** An independent statement of the trigger rules, to predict what the gateway must do with each payload. */
function predictsTask(event: string, payload: Any): boolean {
  const key = `${event}.${payload.action ?? ''}`;
  const trusted = (association?: string) => ['OWNER', 'MEMBER', 'COLLABORATOR'].includes(association ?? '');
  const automated = (user?: Any) =>
    !user || user.type === 'Bot' || /\[bot\]$/i.test(user.login) || user.login.toLowerCase() === BOT_HANDLE;
  const allowedViaPort = (login: string) => Boolean(payload.installation && payload.repository && WRITERS[login]);
  const mentions = (text?: string | null) => Boolean(text && /(^|\s)@agent-bot(?![\w-])/i.test(text));
  const authored: Record<string, Any | undefined> = {
    'issue_comment.created': payload.comment,
    'pull_request_review_comment.created': payload.comment,
    'pull_request_review.submitted': payload.review,
    'issues.opened': payload.issue,
  };
  if (key in authored) {
    const item = authored[key];
    if (!item || automated(item.user)) return false;
    const mentioned = mentions(item.body) || (key === 'issues.opened' && mentions(item.title));
    return mentioned && (trusted(item.author_association) || allowedViaPort(item.user.login));
  }
  if (key === 'issues.labeled' || key === 'pull_request.labeled') {
    return payload.label?.name === BOT_LABEL && !automated(payload.sender) && allowedViaPort(payload.sender.login);
  }
  if (key === 'issues.assigned' || key === 'pull_request.assigned') {
    return (
      payload.assignee?.login.toLowerCase() === BOT_HANDLE && !automated(payload.sender) && allowedViaPort(payload.sender.login)
    );
  }
  return false;
}

/** The same corpus with every comment, review and issue body asking the bot, to exercise mention triggers. */
function withMention(payload: Any): Any {
  const copy = structuredClone(payload);
  for (const field of ['comment', 'review', 'issue']) {
    if (copy[field] && typeof copy[field] === 'object') copy[field].body = `@agent-bot fix this\n\n${copy[field].body ?? ''}`;
  }
  return copy;
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway({
    botHandle: BOT_HANDLE,
    botLabel: BOT_LABEL,
    permissions: new InMemoryRepositoryPermissions(WRITERS),
  });
});
afterAll(async () => {
  await gw.close();
});

async function postCorpus(transform: (payload: Any) => Any) {
  const outcomes: Array<{ event: string; predicted: boolean; status: number; result: Any }> = [];
  for (const group of corpus) {
    for (const example of group.examples) {
      const payload = transform(example);
      const body = JSON.stringify(payload);
      const response = await gw.app.inject({
        method: 'POST',
        url: '/webhooks/github',
        payload: body,
        headers: githubHeaders(group.name, body),
      });
      outcomes.push({
        event: `${group.name}.${payload.action ?? ''}`,
        predicted: predictsTask(group.name, payload),
        status: response.statusCode,
        result: response.json(),
      });
    }
  }
  return outcomes;
}

describe('@octokit/webhooks-examples corpus', () => {
  it('holds the 58 events and 329 payloads this test was written against', () => {
    expect(corpus).toHaveLength(58);
    expect(corpus.reduce((sum, group) => sum + group.examples.length, 0)).toBe(329);
  });

  for (const [name, transform] of [
    ['as published', (payload: Any) => payload],
    ['with the bot mentioned in every body', withMention],
  ] as const) {
    it(`${name}: no 5xx, predicted triggers become tasks, everything else is ignored with a reason`, async () => {
      const before = await gw.db.sql<[{ n: number }]>`select count(*)::int as n from tasks`;
      const outcomes = await postCorpus(transform);
      expect(outcomes).toHaveLength(329);
      expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
      expect(outcomes.filter((o) => o.status !== 200).map((o) => [o.event, o.status, o.result])).toEqual([]);

      const mismatches = outcomes
        .filter((o) => (o.result.status === 'enqueued') !== o.predicted)
        .map((o) => `${o.event}: predicted ${o.predicted ? 'task' : 'ignored'}, got ${o.result.status} (${o.result.reason})`);
      expect(mismatches).toEqual([]);
      const expectedTasks = outcomes.filter((o) => o.predicted).length;
      const enqueued = outcomes.filter((o) => o.result.status === 'enqueued');
      const ignored = outcomes.filter((o) => o.result.status === 'ignored');
      expect(enqueued).toHaveLength(expectedTasks);
      expect(ignored).toHaveLength(329 - expectedTasks);
      expect(ignored.every((o) => typeof o.result.reason === 'string' && o.result.reason.length > 0)).toBe(true);
      const after = await gw.db.sql<[{ n: number }]>`select count(*)::int as n from tasks`;
      expect(after[0].n - before[0].n).toBe(expectedTasks);

      // The stored rows say the same: one delivery per post, ignored ones with their reason.
      const ids = outcomes.map((o) => o.result.delivery_id as string);
      const [rows] = await gw.db.sql<[{ enqueued: number; ignored: number; unreasoned: number }]>`
        select count(*) filter (where status = 'enqueued')::int as enqueued,
               count(*) filter (where status = 'ignored')::int as ignored,
               count(*) filter (where status = 'ignored' and coalesce(reason, '') = '')::int as unreasoned
        from deliveries where id = any(${ids}::uuid[])`;
      expect(rows).toEqual({ enqueued: expectedTasks, ignored: 329 - expectedTasks, unreasoned: 0 });
      if (name === 'as published') expect(expectedTasks).toBeGreaterThan(0);
      else expect(expectedTasks).toBeGreaterThanOrEqual(15);
    });
  }
});
