import { randomBytes } from 'node:crypto';
import { PostgresGitHubAppStore, SecretCipher } from '@agent-bot/db';
import { GitHubAppSource } from '@agent-bot/github';
import { createLogger } from '@agent-bot/observability';
import { OllamaRunner } from '@agent-bot/runners';
import { type OllamaStandIn, startOllamaStandIn } from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIX_GREET_OLLAMA_SCRIPT, type Harness, createHarness } from '../test-support/pipeline-harness.js';
import { trackingMarker } from './tracking-comment.js';

/**
 * A worker started before anyone created the GitHub App at /setup picks the app up once it is
 * stored, without a restart: the worker asks its GitHubAppSource per task, and "no app" is only
 * believed for the recheck interval. Real PostgreSQL store (encrypted), queue, worker, workspace;
 * GitHub is the stand-in checked against @octokit/openapi.
 */
let h: Harness;
let ollama: OllamaStandIn | undefined;

beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await ollama?.close();
  await h.close();
});

describe('a GitHub App created after the worker started', () => {
  it('is used for the next task: tracking comment and pull request, where the task before had none', async () => {
    const store = new PostgresGitHubAppStore(h.db.sql, new SecretCipher({ currentKey: randomBytes(32) }));
    const source = new GitHubAppSource({
      fromEnvironment: undefined,
      store,
      apiUrl: h.githubParams.apiUrl,
      logger: createLogger({ name: 'test', level: 'silent' }),
      missingRecheckMs: 0,
    });
    const resolveGitHub = async () => {
      const adapters = await source.adapters();
      return adapters ? { results: adapters.results, tokens: adapters.installationTokens } : undefined;
    };
    ollama = await startOllamaStandIn({ models: ['qwen-e2e'], script: [...FIX_GREET_OLLAMA_SCRIPT, ...FIX_GREET_OLLAMA_SCRIPT] });
    await h.startWorker({
      runners: { ollama: new OllamaRunner({ url: ollama.url, model: 'qwen-e2e', maxTurns: 8 }) },
      defaultRunner: 'ollama',
      overrides: { github: undefined, resolveGitHub },
    });

    const before = await h.createTask({ context: { issueNumber: 7, isPullRequest: false } });
    await h.enqueue(before.id);
    expect(await h.waitForFinal(before.id)).toMatchObject({ status: 'succeeded' });
    expect(h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(before.id)))).toHaveLength(0);
    expect(h.gh.state.pulls).toHaveLength(0);

    // /setup (in the gateway, another process) stores the app the manifest flow created.
    await store.save({ ...h.githubParams, webhookSecret: 'whsec-later' });

    const after = await h.createTask({ context: { issueNumber: 8, isPullRequest: false } });
    await h.enqueue(after.id);
    const done = await h.waitForFinal(after.id);
    expect(done).toMatchObject({ status: 'succeeded' });
    expect(h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(after.id)))).toHaveLength(1);
    expect(h.gh.state.pulls).toHaveLength(1);
    expect(done.result).toMatchObject({ pullRequestUrl: expect.stringContaining('/pull/') });
  });
});
