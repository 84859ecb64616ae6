import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The object id `ref` points to in a bare repository, read from the loose ref file or
 * packed-refs: one git process fewer on every task. Null when the ref does not exist (or is
 * symbolic), so the caller can fall back to git.
 */
export async function readRef(gitDir: string, ref: string): Promise<string | null> {
  const loose = await readFile(join(gitDir, ref), 'utf8').catch(() => null);
  if (loose !== null) {
    const id = loose.trim();
    return OBJECT_ID.test(id) ? id : null;
  }
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    const [id, name] = line.split(' ');
    if (name === ref && id && OBJECT_ID.test(id)) return id;
  }
  return null;
}
