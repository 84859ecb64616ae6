#!/usr/bin/env node
// `npm start`: first-run setup, build, migrations, then the gateway and one worker side by side.
// Stops both when either exits or on Ctrl-C. Production runs each process on its own (see DEPLOYMENT.md).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadEnvFile } from './load-env-file.mjs';
import { runSideBySide } from './run-side-by-side.mjs';

const root = new URL('..', import.meta.url);
const envPath = new URL('.env', root);

if (!existsSync(envPath)) {
  const example = readFileSync(new URL('.env.example', root), 'utf8');
  const generated = example
    .replace(/^ADMIN_TOKEN=.*$/m, `ADMIN_TOKEN=${randomBytes(24).toString('hex')}`)
    .replace(/^ENCRYPTION_KEY=.*$/m, `ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`);
  writeFileSync(envPath, generated, { mode: 0o600 });
  console.log('start: wrote .env with a fresh ADMIN_TOKEN and ENCRYPTION_KEY (keep it; it is git-ignored)');
}
const env = loadEnvFile(envPath);

function run(label, command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`start: ${label} failed (exit ${result.status ?? result.signal}); see the messages above`);
    process.exit(result.status ?? 1);
  }
}

run('build', 'npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
run('migrations', process.execPath, ['scripts/migrate.mjs']);

runSideBySide(
  [
    ['gateway', 'apps/gateway/dist/main.js'],
    ['worker', 'apps/worker/dist/main.js'],
  ],
  { cwd: root, env },
);
console.log(
  `start: gateway on http://localhost:${env.PORT ?? 8080} (health: /health, metrics: /metrics), ` +
    `worker health on http://localhost:${env.WORKER_PORT ?? 8081}/health. Ctrl-C stops both.`,
);
