import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, createTestGateway, githubHeaders } from '../../test-support/test-gateway.js';

const require = createRequire(import.meta.url);
const corpus = JSON.parse(
  readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
) as Array<{
  name: string;
  examples: unknown[];
}>;
const revoked = corpus.find((group) => group.name === 'github_app_authorization')?.examples[0] as { sender: { id: number } };

describe('github_app_authorization revoked', () => {
  const revokedUsers: string[] = [];
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway({ onGitHubAuthorizationRevoked: async (id) => void revokedUsers.push(id) });
  });
  afterAll(async () => {
    await gw.close();
  });

  it("deletes the user's tokens and sessions (through the hook) and records the delivery as ignored with why", async () => {
    const body = JSON.stringify(revoked);
    const response = await gw.app.inject({
      method: 'POST',
      url: '/webhooks/github',
      headers: githubHeaders('github_app_authorization', body),
      payload: body,
    });
    expect(response.statusCode).toBeLessThan(300);
    expect(revokedUsers).toEqual([String(revoked.sender.id)]);
    const [delivery] = await gw.db.sql<{ status: string; reason: string }[]>`select status, reason from deliveries`;
    expect(delivery).toEqual({
      status: 'ignored',
      reason: `authorization revoked by user ${revoked.sender.id}: tokens and sessions deleted`,
    });
    const [tasks] = await gw.db.sql<{ n: number }[]>`select count(*)::int as n from tasks`;
    expect(tasks?.n).toBe(0);
  });
});
