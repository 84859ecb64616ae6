import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRef } from './read-ref.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-bot-refs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRef', () => {
  it('reads loose and packed refs and refuses anything that is not an object id', async () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    mkdirSync(join(dir, 'refs/remotes/origin'), { recursive: true });
    writeFileSync(join(dir, 'refs/remotes/origin/main'), `${a}\n`);
    writeFileSync(join(dir, 'refs/remotes/origin/sym'), 'ref: refs/heads/main\n');
    writeFileSync(
      join(dir, 'packed-refs'),
      `# pack-refs with: peeled fully-peeled sorted\n${b} refs/remotes/origin/dev\n^${a}\n`,
    );
    expect(await readRef(dir, 'refs/remotes/origin/main')).toBe(a);
    expect(await readRef(dir, 'refs/remotes/origin/dev')).toBe(b);
    expect(await readRef(dir, 'refs/remotes/origin/sym')).toBeNull();
    expect(await readRef(dir, 'refs/remotes/origin/none')).toBeNull();
  });
});
