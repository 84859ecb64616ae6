import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through this export condition, so tests
// never depend on a prior build.
const conditions = ['@agent-bot/source', 'import', 'module', 'node', 'default'];
// Vitest hands the SSR conditions to Node as --conditions, which also steer require(): listing
// 'import' there made CommonJS packages get ESM builds (require('ws') returned wrapper.mjs, and
// @fastify/websocket broke). Vite adds import/require by itself per import kind.
const ssrConditions = ['@agent-bot/source', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ssrConditions, externalConditions: ['@agent-bot/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/vitest-summary-reporter.ts'],
  },
});
