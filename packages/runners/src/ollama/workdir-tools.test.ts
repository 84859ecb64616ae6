import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkdirTools } from './workdir-tools.js';

let workdir: string;
let outside: string;

beforeEach(() => {
  workdir = mkdtempSync(join(tmpdir(), 'agent-bot-tools-'));
  outside = mkdtempSync(join(tmpdir(), 'agent-bot-outside-'));
  mkdirSync(join(workdir, 'src'));
  mkdirSync(join(workdir, '.git'));
  writeFileSync(join(workdir, 'src/a.ts'), 'export const a = 1;\n');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(outside, join(workdir, 'escape'));
});

afterEach(() => {
  rmSync(workdir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('WorkdirTools', () => {
  it('lists, reads and writes inside the working directory', async () => {
    const tools = new WorkdirTools(workdir, async (q) => [{ path: 'src/a.ts', line: 1, name: q, kind: 'variable' }]);
    // The symlink is listed as an entry, never followed.
    expect(await tools.call('list_files', { path: '.' })).toEqual({ ok: true, output: 'escape\nsrc/a.ts' });
    expect(await tools.call('read_file', { path: 'src/a.ts' })).toEqual({ ok: true, output: 'export const a = 1;\n' });
    expect((await tools.call('write_file', { path: 'src/new/b.ts', content: 'b' })).ok).toBe(true);
    expect(readFileSync(join(workdir, 'src/new/b.ts'), 'utf8')).toBe('b');
    expect(await tools.call('search_code', { query: 'a' })).toEqual({ ok: true, output: 'src/a.ts:1 variable a' });
    expect(tools.definitions().map((t) => t.function.name)).toEqual(['list_files', 'read_file', 'write_file', 'search_code']);
  });

  it('refuses paths that leave the working directory or touch .git', async () => {
    const tools = new WorkdirTools(workdir);
    for (const path of [
      '../x',
      '/etc/passwd',
      'src/../../x',
      'escape/secret.txt',
      '.git/config',
      'src/../.git/hooks/pre-commit',
    ]) {
      const read = await tools.call('read_file', { path });
      expect(read.ok, path).toBe(false);
      expect(read.output, path).toMatch(/path refused/);
      expect((await tools.call('write_file', { path, content: 'x' })).ok, path).toBe(false);
    }
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    expect((await tools.call('list_files', { path: '..' })).ok).toBe(false);
    expect((await tools.call('rm_rf', {})).output).toBe('unknown tool rm_rf');
  });
});
