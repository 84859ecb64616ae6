import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freePort } from '@agent-bot/testing';
import { type TestGateway, createTestGateway, githubHeaders } from '../../../gateway/src/test-support/test-gateway.js';
import { type Harness, REPO, createHarness } from '../../../worker/src/test-support/pipeline-harness.js';

// biome-ignore lint/suspicious/noExplicitAny: published webhook examples are arbitrary JSON
type WebhookExample = Record<string, any>;

/** The comment the example delivery carries: a mention of the bot asking for a fix. */
export const MENTION = '@agent-bot fix the typo in greet: it should return "hello".';

/**
 * GitHub's published issue_comment.created example (npm @octokit/webhooks-examples), pointed at the
 * repository and installation the stand-ins know, with a comment that mentions the bot. The author
 * is the example's own Codertocat, an OWNER: allowed by author_association alone.
 */
export function mentionWebhook(
  installationId: string,
  adjust: (payload: WebhookExample) => void = () => undefined,
): { body: string; author: string; issueNumber: number } {
  const path = createRequire(import.meta.url).resolve('@octokit/webhooks-examples/api.github.com/index.json');
  const groups = JSON.parse(readFileSync(path, 'utf8')) as Array<{ name: string; examples: WebhookExample[] }>;
  const example = groups.find((g) => g.name === 'issue_comment')?.examples.find((e) => e.action === 'created');
  if (!example) throw new Error('no issue_comment.created example');
  const payload = structuredClone(example);
  if (payload.comment.author_association !== 'OWNER') throw new Error('the example author is no longer an OWNER');
  const [owner, name] = REPO.split('/') as [string, string];
  payload.installation = { id: Number(installationId), node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  payload.repository.full_name = REPO;
  payload.repository.name = name;
  payload.repository.owner.login = owner;
  payload.comment.body = MENTION;
  adjust(payload);
  return { body: JSON.stringify(payload), author: payload.comment.user.login, issueNumber: payload.issue.number };
}

export interface Delivered {
  deliveryId: string;
  status: number;
  answer: { status: string; task_id: string };
}

export interface Stack {
  gw: TestGateway;
  h: Harness;
  baseUrl: string;
  /** Posts the signed mention over HTTP like GitHub does; returns what the gateway answered. */
  deliverMention(): Promise<Delivered>;
  /** Posts a signed delivery of `event` with `body`, like GitHub does. */
  deliver(event: string, body: string): Promise<Delivered>;
  close(): Promise<void>;
}

/**
 * A gateway with the real ingestion listening on a free port, and the worker pipeline harness
 * (workspace from a local bare repository, index, GitHub stand-in) on the gateway's database and
 * Redis prefix, as in a deployment. Workers are started per test with the runners it needs.
 */
export async function startStack(): Promise<Stack> {
  const gw = await createTestGateway();
  const h = await createHarness({ db: gw.db, prefix: gw.prefix });
  const port = await freePort();
  await gw.app.listen({ port, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deliver = async (event: string, body: string): Promise<Delivered> => {
    const deliveryId = randomUUID();
    const response = await fetch(`${baseUrl}/webhooks/github`, {
      method: 'POST',
      body,
      headers: githubHeaders(event, body, deliveryId),
    });
    return { deliveryId, status: response.status, answer: (await response.json()) as Delivered['answer'] };
  };
  return {
    gw,
    h,
    baseUrl,
    deliver,
    deliverMention: () => deliver('issue_comment', mentionWebhook(h.installationId).body),
    async close() {
      await h.close();
      await gw.close();
    },
  };
}
