import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalGitRemote, createLocalGitRemote } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceManager } from '../workspace-manager.js';
import { MemoryRepositoryIndexStore } from './memory-index-store.js';
import { RepositoryIndexer } from './repository-indexer.js';

let remote: LocalGitRemote;
let root: string;
let manager: WorkspaceManager;

const FILES = {
  'src/http/client.ts':
    "import { parseUrl } from '../util/url.js';\nexport class HttpClient {\n  get(url: string) { return parseUrl(url); }\n}\n",
  'src/util/url.ts':
    'export function parseUrl(value: string) { return new URL(value); }\nexport interface UrlParts { host: string }\n',
  'src/app.ts':
    "import { HttpClient } from './http/client.js';\nimport { parseUrl } from './util/url.js';\nconst client = new HttpClient();\nparseUrl('x');\n",
  'web/widget.jsx': "const React = require('react');\nfunction Widget() { return parseUrl('y'); }\n",
  'tools/report.py':
    'import os.path\nfrom .url import parse_url\n\nclass Report:\n    def render(self):\n        return parse_url(os.path.join("a"))\n',
  'cmd/main.go':
    'package main\n\nimport "fmt"\n\ntype Server struct{}\n\nfunc (s *Server) Start() {}\n\nfunc main() { fmt.Println(1) }\n',
  'README.md': '# not parsed\n',
};

beforeAll(() => {
  remote = createLocalGitRemote();
  remote.createRepo('acme/index', FILES);
  root = mkdtempSync(join(tmpdir(), 'agent-bot-idx-'));
  manager = new WorkspaceManager({ rootDir: root, remoteBaseUrl: remote.baseUrl, maxRepoBytes: 1e9, maxFiles: 1000 });
});

afterAll(() => {
  remote.remove();
  rmSync(root, { recursive: true, force: true });
});

describe('RepositoryIndexer', () => {
  it('indexes definitions, imports and references of TS/JS, Python and Go; re-indexes only changed files', async () => {
    const store = new MemoryRepositoryIndexStore();
    const indexer = new RepositoryIndexer({ store });
    const ws = await manager.prepare({ repo: 'acme/index', taskId: 'i1' });
    const first = await indexer.index({ repo: 'acme/index', commit: ws.baseCommit, dir: ws.dir });
    await ws.release();
    expect(first.stats).toMatchObject({ files: 6, parsed: 6, reused: 0 });

    const byPath = new Map(first.index.files.map((f) => [f.path, f]));
    expect(byPath.get('src/util/url.ts')?.symbols).toEqual([
      { name: 'parseUrl', kind: 'function', line: 1 },
      { name: 'UrlParts', kind: 'interface', line: 2 },
    ]);
    expect(byPath.get('src/app.ts')?.imports).toEqual(['./http/client.js', './util/url.js']);
    expect(byPath.get('tools/report.py')?.symbols.map((s) => s.name)).toEqual(['Report', 'render']);
    expect(byPath.get('tools/report.py')?.imports).toEqual(['os.path', '.url']);
    expect(byPath.get('cmd/main.go')?.symbols.map((s) => `${s.kind} ${s.name}`)).toEqual([
      'type Server',
      'method Start',
      'function main',
    ]);
    expect(byPath.get('web/widget.jsx')?.imports).toEqual(['react']);
    expect(first.index.referencesTo('parseUrl').sort()).toEqual(['src/app.ts', 'src/http/client.ts', 'web/widget.jsx']);

    // parseUrl is used by three files: it and its file lead the map.
    const map = first.index.repoMap({ budgetTokens: 1000 });
    expect(map.split('\n')[0]).toBe('src/util/url.ts:');
    // Words of the task pull matching symbols to the top.
    expect(first.index.repoMap({ budgetTokens: 1000, query: 'the server does not start' }).split('\n')[0]).toBe('cmd/main.go:');
    // The budget is respected.
    const small = first.index.repoMap({ budgetTokens: 20 });
    expect(small.length).toBeLessThanOrEqual(80);
    expect(small).toContain('src/util/url.ts');

    expect(first.index.search('parseurl')[0]).toEqual({ path: 'src/util/url.ts', line: 1, name: 'parseUrl', kind: 'function' });
    expect(first.index.search('Server').map((h) => h.name)).toEqual(['Server']);
    expect(first.index.search('nothing-like-this')).toEqual([]);

    // The same commit again: nothing parsed.
    const ws2 = await manager.prepare({ repo: 'acme/index', taskId: 'i2' });
    expect((await indexer.index({ repo: 'acme/index', commit: ws2.baseCommit, dir: ws2.dir })).stats.parsed).toBe(0);
    await ws2.release();

    // A new commit changing one file and adding one: only those two are parsed.
    remote.commit('acme/index', {
      'src/util/url.ts': 'export function parseUrl(value: string) { return new URL(value); }\nexport function formatUrl() {}\n',
      'src/extra.py': 'def extra():\n    pass\n',
    });
    const ws3 = await manager.prepare({ repo: 'acme/index', taskId: 'i3' });
    const third = await indexer.index({ repo: 'acme/index', commit: ws3.baseCommit, dir: ws3.dir });
    await ws3.release();
    expect(third.stats).toMatchObject({ files: 7, parsed: 2, reused: 5 });
    expect(third.index.search('formatUrl')[0]?.path).toBe('src/util/url.ts');
    expect(third.index.search('UrlParts').map((h) => h.name)).not.toContain('UrlParts');
  });
});
