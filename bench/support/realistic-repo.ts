import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * A repository shaped like a real one, for benchmarks where a best case would flatter the result:
 * real source text (JavaScript, TypeScript, Python, Go and Markdown files of the packages in
 * node_modules, at their real sizes) and a real history (files added over time and grown in later
 * commits), written into a bare repository with one `git fast-import` and repacked the way a
 * server would hold it.
 */
export interface RealisticRepoShape {
  files: number;
  worktreeBytes: number;
  commits: number;
  packBytes: number;
}

const EXTENSIONS = /\.(js|mjs|cjs|ts|mts|cts|py|go|md)$/;
/** Minified bundles are not what a repository's source looks like. */
const MAX_FILE_BYTES = 200 * 1024;

/**
 * `fileCount` files picked evenly (every n-th of the sorted list, so the choice depends only on what
 * is installed) from `nodeModulesDir`, committed over `commitCount` commits into the empty bare
 * repository `bareDir` on branch main.
 */
export function buildRealisticRepo(
  bareDir: string,
  options: { nodeModulesDir: string; fileCount: number; commitCount: number },
): RealisticRepoShape {
  const candidates = sourceFiles(options.nodeModulesDir);
  if (candidates.length < options.fileCount) {
    throw new Error(`only ${candidates.length} source files under ${options.nodeModulesDir}, need ${options.fileCount}`);
  }
  const stride = candidates.length / options.fileCount;
  const picked = Array.from({ length: options.fileCount }, (_, i) => candidates[Math.floor(i * stride)] as string);
  const files = picked.map((path, i) => ({
    repoPath: `packages/${relative(options.nodeModulesDir, path)}`,
    content: readFileSync(path),
    ...fileHistory(i, options.commitCount),
  }));

  // Which versions each commit writes: version v of a file is its first (v+1)/(versions) of the
  // lines, so files grow over the history and the last version is the real file.
  const touches: { file: number; version: number }[][] = Array.from({ length: options.commitCount }, () => []);
  for (const [file, history] of files.entries()) {
    for (const [version, commit] of history.commits.entries()) touches[commit]?.push({ file, version });
  }

  const chunks: Buffer[] = [];
  const text = (value: string) => chunks.push(Buffer.from(value));
  let mark = 0;
  const start = Date.UTC(2023, 0, 1) / 1000;
  for (const [index, writes] of touches.entries()) {
    const blobs = writes.map(({ file, version }) => {
      const entry = files[file] as (typeof files)[number];
      const data = versionOf(entry.content, version, entry.commits.length);
      text(`blob\nmark :${++mark}\ndata ${data.length}\n`);
      chunks.push(data);
      text('\n');
      return { path: entry.repoPath, mark };
    });
    const message = `change ${index + 1}: ${writes.length} files\n`;
    const when = start + index * 3600 * 7;
    text(`commit refs/heads/main\nmark :${++mark}\n`);
    text(`author Dev <dev@example.com> ${when} +0000\ncommitter Dev <dev@example.com> ${when} +0000\n`);
    text(`data ${Buffer.byteLength(message)}\n${message}`);
    for (const blob of blobs) text(`M 100644 :${blob.mark} ${quotePath(blob.path)}\n`);
    text('\n');
  }

  const git = (args: string[], input?: Buffer) =>
    execFileSync('git', args, {
      input,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      maxBuffer: 256 * 1024 * 1024,
    });
  git(['init', '--quiet', '--bare', '-b', 'main', '--', bareDir]);
  git(['--git-dir', bareDir, 'fast-import', '--quiet'], Buffer.concat(chunks));
  // fast-import's pack is poorly deltified; a hosting server's pack is not.
  git(['--git-dir', bareDir, 'repack', '-a', '-d', '-f', '-q']);

  const packDir = join(bareDir, 'objects', 'pack');
  const packBytes = readdirSync(packDir)
    .filter((name) => name.endsWith('.pack'))
    .reduce((sum, name) => sum + statSync(join(packDir, name)).size, 0);
  return {
    files: files.length,
    worktreeBytes: files.reduce((sum, file) => sum + file.content.length, 0),
    commits: options.commitCount,
    packBytes,
  };
}

/** Every candidate file below `dir`, sorted; symbolic links (the monorepo's own packages) are not followed. */
function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !EXTENSIONS.test(entry.name) || entry.name.endsWith('.min.js')) continue;
    const path = join(entry.parentPath, entry.name);
    if (path.includes('/.') || statSync(path).size > MAX_FILE_BYTES) continue;
    found.push(path);
  }
  return found.sort();
}

/**
 * When file `i` is added and edited: added somewhere in the first 80% of the history, then edited
 * 0-3 times; its last commit writes the real file, so the tip holds only real files.
 */
function fileHistory(i: number, commitCount: number): { commits: number[] } {
  const hash = (salt: number) => Math.abs(Math.imul(i * 2654435761 + salt, 2246822519) >>> 0);
  const added = hash(1) % Math.floor(commitCount * 0.8);
  const edits = new Set<number>();
  for (let e = 0; e < hash(2) % 4; e++) edits.add(added + 1 + (hash(3 + e) % (commitCount - added - 1)));
  return { commits: [added, ...[...edits].sort((a, b) => a - b)] };
}

function versionOf(content: Buffer, version: number, versions: number): Buffer {
  if (version === versions - 1) return content;
  const lines = content.toString('utf8').split('\n');
  return Buffer.from(lines.slice(0, Math.ceil((lines.length * (version + 1)) / versions)).join('\n'));
}

function quotePath(path: string): string {
  return /^[\x21-\x7e][\x20-\x7e]*$/.test(path) && !path.startsWith('"') ? path : JSON.stringify(path);
}
