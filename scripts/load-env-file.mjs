// Reads .env (created by `npm start` on first run) into an object; real environment variables win.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export function loadEnvFile(path) {
  if (!existsSync(path)) return { ...process.env };
  return { ...parseEnv(readFileSync(path, 'utf8')), ...process.env };
}
