/**
 * Architecture rules from docs/ARCHITECTURE.md, checked by `npm run lint` (so by `npm test` and CI).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles hide coupling and break ESM init order.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'apps-do-not-import-apps',
      severity: 'error',
      comment: 'An app is a deployable; shared code belongs in a package.',
      // The dashboard's browser tests and apps/e2e (a test-only workspace, never built or deployed)
      // run the real gateway and worker in-process.
      from: { path: '^apps/([^/]+)/', pathNot: ['^apps/dashboard/src/e2e/', '^apps/e2e/'] },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'packages-do-not-import-apps',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'leaves-stay-leaves',
      severity: 'error',
      comment: 'contracts and config depend on nothing of ours (config may use contracts error types).',
      from: { path: '^packages/(contracts)/' },
      to: { path: '^packages/', pathNot: '^packages/contracts/' },
    },
    {
      name: 'config-only-on-contracts',
      severity: 'error',
      from: { path: '^packages/config/' },
      to: { path: '^packages/', pathNot: '^packages/(config|contracts)/' },
    },
    {
      name: 'adapters-do-not-import-adapters',
      severity: 'error',
      comment: 'Adapter packages depend on contracts and observability only; work spanning adapters is an app use case.',
      from: { path: '^packages/(db|queue|github|runners|workspace|replies)/' },
      to: {
        path: '^packages/(db|queue|github|runners|workspace|replies)/',
        pathNot: '^packages/$1/',
      },
    },
    {
      name: 'no-deep-package-imports',
      severity: 'error',
      comment: 'Import a package through its root export, never pkg/src/...',
      from: { path: '^(apps|packages)/([^/]+)/' },
      // Resolution through the package root lands on src/index.ts (the source export condition).
      to: { path: '^packages/([^/]+)/src/', pathNot: ['^packages/$2/', '^packages/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'product-code-does-not-use-testing',
      severity: 'error',
      from: { path: '^(apps|packages)/[^/]+/src/', pathNot: ['\\.test\\.ts$', '/test-support/', '/e2e/', '^packages/testing/'] },
      to: { path: '^packages/testing/' },
    },
  ],
  allowed: [],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@agent-bot/source', 'import', 'default'],
      mainFields: ['main', 'types'],
    },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
  },
};
