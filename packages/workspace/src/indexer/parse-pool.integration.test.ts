import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileParser } from './parse-file.js';
import { parseFilesIn } from './parse-files.js';
import { ParsePool } from './parse-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-bot-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFiles(count: number) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const path = i % 3 === 0 ? `src/m${i}.py` : i % 3 === 1 ? `src/m${i}.go` : `src/m${i}.ts`;
    const body =
      i % 3 === 0
        ? `def f${i}():\n    return g${i + 1}()\n`
        : i % 3 === 1
          ? `package m\n\nfunc F${i}() { G${i}() }\n`
          : `import { g } from './g.js';\nexport function f${i}() { return g(); }\n`;
    writeFileSync(join(dir, path), body);
    return { path, hash: `h${i}` };
  });
}

describe('ParsePool', () => {
  it('parses in worker threads exactly what the calling thread would, in the same order', async () => {
    // More files than batches per thread, and one that cannot be read: it is skipped, not fatal.
    const files = [...writeFiles(40), { path: 'src/gone.ts', hash: 'h-gone' }];
    const pool = new ParsePool(2);
    try {
      await pool.start();
      const threaded = await pool.parse(dir, files);
      const inline = await parseFilesIn(new FileParser(), dir, files);
      expect(threaded).toHaveLength(40);
      expect(threaded).toEqual(inline);
      // The threads stay for the next run.
      expect(await pool.parse(dir, files.slice(0, 3))).toEqual(inline.slice(0, 3));
    } finally {
      await pool.close();
    }
  });

  it('fails a run whose thread dies instead of waiting for it, and starts fresh threads next time', async () => {
    const files = writeFiles(6);
    const pool = new ParsePool(1);
    try {
      await pool.start();
      // The expectation is attached before close(), so the rejection is never unhandled meanwhile.
      const failed = expect(pool.parse(dir, files)).rejects.toThrow(/exited|closed/);
      await pool.close();
      await failed;
      expect(await pool.parse(dir, files)).toHaveLength(6);
    } finally {
      await pool.close();
    }
  });
});
