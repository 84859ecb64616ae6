#!/usr/bin/env node
// `npm run bench [name-filter]`: runs every bench/*.bench.ts from source (tsx, @agent-bot/source
// condition, so no build is needed), one after another so they do not disturb each other.
// Each benchmark prints its figures beside a baseline it measures in the same run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('../bench/', import.meta.url));
const filter = process.argv[2];
const files = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts') && (!filter || file.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`bench: no bench/*.bench.ts${filter ? ` matching "${filter}"` : ''}`);
  process.exit(1);
}

const failed = [];
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@agent-bot/source', `${benchDir}${file}`], {
    stdio: 'inherit',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) failed.push(file);
  console.log(`--- ${file}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s`);
}
if (failed.length > 0) {
  console.error(`\nbench: ${failed.length} failed: ${failed.join(', ')}`);
  process.exit(1);
}
