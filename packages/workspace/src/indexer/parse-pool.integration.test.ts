import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileParser } from './parse-file.js';
import { ParsePool } from './parse-pool.js';
import { parseFilesIn } from './repository-indexer.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-bot-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ParsePool', () => {
  it('parses in worker threads exactly what the calling thread would', async () => {
    mkdirSync(join(dir, 'src'));
    const files = Array.from({ length: 12 }, (_, i) => {
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
    const pool = new ParsePool(2);
    try {
      const threaded = await pool.parse(dir, files);
      const inline = await parseFilesIn(new FileParser(), dir, files);
      const byPath = (list: typeof inline) => [...list].sort((a, b) => a.path.localeCompare(b.path));
      expect(byPath(threaded)).toEqual(byPath(inline));
      expect(threaded).toHaveLength(12);
    } finally {
      await pool.close();
    }
  });
});
