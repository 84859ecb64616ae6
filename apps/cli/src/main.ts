#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { runCli } from './run-cli.js';

// Operators run the CLI beside the .env that `npm start` wrote; real environment variables win.
const dotenv = existsSync('.env') ? parseEnv(readFileSync('.env', 'utf8')) : {};

const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: { ...dotenv, ...process.env },
});
process.exit(exitCode);
