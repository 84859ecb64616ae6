import { loadConfig } from '@agent-bot/config';
import { PostgresTaskEventRepository } from '@agent-bot/db';
import { createLogger } from '@agent-bot/observability';
import { type SlackStandIn, startSlackStandIn } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReplyChannels } from '../build-reply-channels.js';
import { NoopRunner } from '../runners/noop-runner.js';
import { type Harness, createHarness } from '../test-support/pipeline-harness.js';

const BOT_TOKEN = 'xoxb-pipeline-secret-7f3a9c';
const WRONG_TOKEN = 'xoxb-revoked-secret-1b2c3d';

let h: Harness;
let slack: SlackStandIn;
let events: PostgresTaskEventRepository;
const logLines: string[] = [];
const logger = createLogger({ name: 'worker', level: 'debug', destination: { write: (line: string) => logLines.push(line) } });

beforeAll(async () => {
  h = await createHarness();
  slack = await startSlackStandIn({ token: BOT_TOKEN, channels: ['C0PIPE'] });
  events = new PostgresTaskEventRepository(h.db.sql);
});
afterAll(async () => {
  await slack?.close();
  await h?.close();
});

/** A worker whose reply channels come from the configuration, as build-pipeline-deps.ts builds them. */
async function workerWith(env: Record<string, string>) {
  const replies = buildReplyChannels(loadConfig(env).replies);
  return h.startWorker({
    runners: { noop: new NoopRunner() },
    defaultRunner: 'noop',
    overrides: { logger, replies: replies.channels, repliesMissing: replies.missing },
  });
}

/** A task as the gateway's Slack adapter creates one for an app_mention. */
function slackMention() {
  return h.createTask({
    kind: 'answer',
    source: 'slack',
    prompt: 'why is the build red?',
    title: 'why is the build red?',
    repo: undefined,
    installationId: undefined,
    requestedBy: 'U0ALICE',
    context: {
      provider: 'slack',
      event: 'app_mention',
      teamId: 'T0TEAM',
      channel: 'C0PIPE',
      threadTs: '1700000000.000100',
      messageTs: '1700000042.000300',
      user: 'U0ALICE',
    },
  });
}

async function eventsOf(taskId: string) {
  return (await events.list(taskId)).map((e) => ({ kind: e.kind, message: e.message, data: e.data }));
}

describe('answers posted back to the source', () => {
  it('a Slack mention is answered in its thread through the Slack Web API', async () => {
    const stop = await workerWith({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: `${slack.url}/api` });
    try {
      const task = await slackMention();
      await h.enqueue(task.id);
      const done = await h.waitForFinal(task.id);
      expect(done.status).toBe('succeeded');
      expect(slack.messages).toEqual([
        { channel: 'C0PIPE', threadTs: '1700000000.000100', text: 'noop runner: nothing to do', ts: expect.any(String) },
      ]);
      expect(slack.problems()).toEqual([]);
      const permalink = `https://example.slack.com/archives/C0PIPE/p${slack.messages[0]?.ts.replace('.', '')}?thread_ts=1700000000.000100&cid=C0PIPE`;
      expect(done.result.replyUrl).toBe(permalink);
      expect(await eventsOf(task.id)).toContainEqual({
        kind: 'reply.posted',
        message: 'answer posted to slack',
        data: { channel: 'slack', answer: true, url: permalink },
      });
      expect(h.gh.state.comments).toHaveLength(0);
    } finally {
      await stop();
    }
  });

  it('a refused Slack token is a task event naming the setting; the task still succeeds', async () => {
    const stop = await workerWith({ SLACK_BOT_TOKEN: WRONG_TOKEN, SLACK_API_URL: `${slack.url}/api` });
    try {
      const task = await slackMention();
      await h.enqueue(task.id);
      expect((await h.waitForFinal(task.id)).status).toBe('succeeded');
      expect(await eventsOf(task.id)).toContainEqual({
        kind: 'reply.failed',
        message: 'answer not posted to slack: Slack refused SLACK_BOT_TOKEN for chat.postMessage: invalid_auth',
        data: { channel: 'slack', code: 'REPLY_AUTH_FAILED' },
      });
    } finally {
      await stop();
    }
  });

  it('a Jira task on a worker without Jira credentials says what to set', async () => {
    const stop = await workerWith({ SLACK_API_URL: `${slack.url}/api`, SENTRY_AUTH_TOKEN: 'sntrys_unused' });
    try {
      const task = await h.createTask({
        kind: 'answer',
        source: 'jira',
        repo: undefined,
        installationId: undefined,
        context: { provider: 'jira', issueKey: 'PROJ-7', issueId: '10007', trigger: 'mention' },
      });
      await h.enqueue(task.id);
      expect((await h.waitForFinal(task.id)).status).toBe('succeeded');
      expect(await eventsOf(task.id)).toContainEqual({
        kind: 'reply.unconfigured',
        message: 'answer not posted to jira: set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN to answer on the Jira issue',
        data: { channel: 'jira' },
      });
    } finally {
      await stop();
    }
  });

  it('no secret reached the logs or the task events', async () => {
    const rows = await h.db.sql<{ message: string; data: unknown }[]>`select message, data from task_events`;
    const stored = JSON.stringify(rows);
    const logs = logLines.join('\n');
    // The capture is live: the refused-token run logged its warning here.
    expect(logs).toContain('reply to the source not posted');
    for (const secret of [BOT_TOKEN, WRONG_TOKEN]) {
      expect(logs).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    expect(slack.requests.every((r) => !String(JSON.stringify(r.body)).includes('xoxb'))).toBe(true);
  });
});
