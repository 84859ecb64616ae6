import { readFileSync } from 'node:fs';

export interface SecretFileProblem {
  name: string;
  message: string;
}

/**
 * Every secret also accepts `NAME_FILE` (Docker and Kubernetes secrets). Returns a copy of `env`
 * with the file contents filled in, and the problems found (both forms set, unreadable file).
 */
export function resolveSecretFiles(
  env: Record<string, string | undefined>,
  secretNames: readonly string[],
): { env: Record<string, string | undefined>; problems: SecretFileProblem[] } {
  const resolved = { ...env };
  const problems: SecretFileProblem[] = [];
  for (const name of secretNames) {
    const path = env[`${name}_FILE`];
    if (path === undefined || path === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push({ name: `${name}_FILE`, message: `set either ${name} or ${name}_FILE, not both` });
      continue;
    }
    try {
      resolved[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
      problems.push({ name: `${name}_FILE`, message: `cannot read ${path} (${reason})` });
    }
  }
  return { env: resolved, problems };
}
