import type { IndexedFile } from '@agent-bot/contracts';
import { type TestDatabase, createTestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRepositoryIndexStore } from './postgres-repository-index-store.js';

let db: TestDatabase;
let store: PostgresRepositoryIndexStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresRepositoryIndexStore(db.sql);
});
afterAll(() => db.drop());

const file = (path: string, hash: string, name: string): IndexedFile => ({
  path,
  hash,
  language: 'typescript',
  symbols: [{ name, kind: 'function', line: 1 }],
  imports: ['./x.js'],
  references: ['y'],
});

describe('PostgresRepositoryIndexStore', () => {
  it('stores file versions by content hash and commits as lists of them', async () => {
    expect(await store.loadCommit('acme/app', 'c1')).toBeNull();
    await store.saveFiles('acme/app', [file('a.ts', 'h1', 'a'), file('b.ts', 'h2', 'b')]);
    await store.saveCommit('acme/app', 'c1', [
      { path: 'a.ts', hash: 'h1' },
      { path: 'b.ts', hash: 'h2' },
    ]);
    const loaded = await store.loadCommit('acme/app', 'c1');
    expect(loaded?.sort((x, y) => x.path.localeCompare(y.path))).toEqual([file('a.ts', 'h1', 'a'), file('b.ts', 'h2', 'b')]);

    const known = await store.existing('acme/app', [
      { path: 'a.ts', hash: 'h1' },
      { path: 'a.ts', hash: 'h9' },
      { path: 'b.ts', hash: 'h2' },
    ]);
    expect([...known].sort()).toEqual(['a.ts\0h1', 'b.ts\0h2']);
    // Another repository shares nothing.
    expect((await store.existing('other/app', [{ path: 'a.ts', hash: 'h1' }])).size).toBe(0);
    // Saving the same version twice is harmless.
    await store.saveFiles('acme/app', [file('a.ts', 'h1', 'a')]);
    const [{ count }] = (await db.sql`select count(*)::int as count from repo_index_files`) as unknown as [{ count: number }];
    expect(count).toBe(2);
  });
});
