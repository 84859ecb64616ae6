import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@agent-bot/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryAfterSeconds, sendJson } from './http-json.js';

let silent: Server;
let url: string;

beforeAll(async () => {
  // Accepts the request and never answers: a provider that hangs.
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      silent.closeAllConnections();
      silent.close(() => resolve());
    }),
);

describe('sendJson', () => {
  it('gives up on a provider that does not answer within the time limit, naming it', async () => {
    const started = performance.now();
    const error = await sendJson('Jira', { url: `${url}/rest/api/3/issue/P-1/comment`, body: {} }, { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('REPLY_UNREACHABLE');
    expect((error as AppError).message).toBe(`Jira is not reachable at ${url}: timed out`);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterSeconds('3')).toBe(3);
    expect(retryAfterSeconds(null)).toBe(1);
    expect(retryAfterSeconds(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThanOrEqual(9);
    expect(retryAfterSeconds('soon')).toBe(1);
  });
});
