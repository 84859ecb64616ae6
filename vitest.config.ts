import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through this export condition, so tests
// never depend on a prior build.
const conditions = ['@agent-bot/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@agent-bot/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/vitest-summary-reporter.ts'],
  },
});
