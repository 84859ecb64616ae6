import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGit } from './run-git.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-bot-run-git-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runGit', () => {
  it('returns stdout without the final newline and applies the hardening flags', async () => {
    await runGit(['init', '--quiet', '--bare', '--', join(dir, 'repo.git')]);
    expect(await runGit(['rev-parse', '--is-bare-repository'], { gitDir: join(dir, 'repo.git') })).toBe('true');
    expect(await runGit(['config', '--get', 'protocol.ext.allow'], { gitDir: join(dir, 'repo.git') })).toBe('never');
  });

  it('passes the token only through the environment of that one process', async () => {
    const header = await runGit(['config', '--get', 'http.extraHeader'], { gitDir: join(dir, 'repo.git'), token: 'ghs_abc' });
    expect(Buffer.from(header.replace('Authorization: Basic ', ''), 'base64').toString()).toBe('x-access-token:ghs_abc');
    await expect(runGit(['config', '--get', 'http.extraHeader'], { gitDir: join(dir, 'repo.git') })).rejects.toMatchObject({
      code: 'GIT_FAILED',
    });
  });

  it('fails with the end of stderr, the token redacted, unless the exit code is an expected answer', async () => {
    const failure = runGit(['rev-parse', '--verify', 'no-such-ref-ghs_secret'], {
      gitDir: join(dir, 'repo.git'),
      token: 'ghs_secret',
    });
    await expect(failure).rejects.toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('exit 128') });
    await expect(failure).rejects.toMatchObject({ message: expect.not.stringContaining('ghs_secret') });
    expect(await runGit(['config', '--get', 'no.such'], { gitDir: join(dir, 'repo.git'), okExitCodes: [1] })).toBe('');
  });

  it('names the subcommand that failed, not the -c settings placed before it', async () => {
    const failure = runGit(['-c', 'fetch.unpackLimit=1', 'fetch', '--quiet', '--', join(dir, 'no-such-remote.git')], {
      gitDir: join(dir, 'repo.git'),
    });
    await expect(failure).rejects.toMatchObject({
      code: 'GIT_FAILED',
      message: expect.stringMatching(/^git fetch failed \(exit 128\)/),
    });
  });

  it('stops git at the timeout, even when a child of git keeps its output open', async () => {
    const started = performance.now();
    await expect(runGit(['-c', 'alias.wait=!sleep 5', 'wait'], { timeoutMs: 200 })).rejects.toMatchObject({
      message: expect.stringContaining('timed out'),
    });
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
