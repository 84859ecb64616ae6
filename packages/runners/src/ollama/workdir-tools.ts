import { lstat, mkdir, readFile, readdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CodeSearchHit } from '@agent-bot/contracts';
import type { Tool } from 'ollama';

const MAX_READ_BYTES = 256 * 1024;
const MAX_LIST = 500;

export class PathRefused extends Error {}

/**
 * The tools a local model gets: list, read and write files, search the repository index. Every
 * path is confined to the working directory: no absolute paths, no `..` escape, no symlink out of
 * it, and nothing inside `.git`.
 */
export class WorkdirTools {
  constructor(
    private readonly workdir: string,
    private readonly searchCode?: (query: string) => Promise<CodeSearchHit[]>,
  ) {}

  definitions(): Tool[] {
    const tool = (
      name: string,
      description: string,
      properties: Record<string, { type: string; description: string }>,
      required: string[],
    ): Tool => ({
      type: 'function',
      function: { name, description, parameters: { type: 'object', properties, required } },
    });
    const tools = [
      tool(
        'list_files',
        'List files under a directory of the repository (relative path, "." for the root).',
        { path: { type: 'string', description: 'directory' } },
        [],
      ),
      tool(
        'read_file',
        'Read a text file of the repository.',
        { path: { type: 'string', description: 'file path relative to the repository root' } },
        ['path'],
      ),
      tool(
        'write_file',
        'Create or replace a file of the repository with the given content.',
        {
          path: { type: 'string', description: 'file path relative to the repository root' },
          content: { type: 'string', description: 'the whole new content' },
        },
        ['path', 'content'],
      ),
    ];
    if (this.searchCode) {
      tools.push(
        tool(
          'search_code',
          'Find definitions (functions, classes, types) by name in the repository index.',
          { query: { type: 'string', description: 'name or words' } },
          ['query'],
        ),
      );
    }
    return tools;
  }

  /** Runs one tool call; a refused or failed call is a result the model sees, not an exception. */
  async call(name: string, args: Record<string, unknown>): Promise<{ ok: boolean; output: string }> {
    try {
      switch (name) {
        case 'list_files':
          return { ok: true, output: await this.list(String(args.path ?? '.')) };
        case 'read_file': {
          const path = await this.resolve(String(args.path ?? ''));
          const content = await readFile(path);
          return { ok: true, output: content.subarray(0, MAX_READ_BYTES).toString('utf8') };
        }
        case 'write_file': {
          const path = await this.resolve(String(args.path ?? ''));
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, String(args.content ?? ''));
          return { ok: true, output: `wrote ${relative(this.workdir, path)}` };
        }
        case 'search_code': {
          if (!this.searchCode) return { ok: false, output: 'search_code is not available' };
          const hits = await this.searchCode(String(args.query ?? ''));
          return { ok: true, output: hits.map((h) => `${h.path}:${h.line} ${h.kind} ${h.name}`).join('\n') || 'no matches' };
        }
        default:
          return { ok: false, output: `unknown tool ${name}` };
      }
    } catch (error) {
      return { ok: false, output: error instanceof PathRefused ? error.message : `error: ${(error as Error).message}` };
    }
  }

  private async list(dir: string): Promise<string> {
    const root = await this.resolve(dir);
    const out: string[] = [];
    const walk = async (current: string): Promise<void> => {
      for (const entry of await readdir(current, { withFileTypes: true })) {
        if (out.length >= MAX_LIST) return;
        if (entry.name === '.git' || entry.name === 'node_modules') continue;
        const full = join(current, entry.name);
        if (entry.isDirectory()) await walk(full);
        else out.push(relative(this.workdir, full));
      }
    };
    await walk(root);
    return out.sort().join('\n');
  }

  /** The absolute path for `path`, or PathRefused when it would leave the working directory. */
  async resolve(path: string): Promise<string> {
    if (path === '' || isAbsolute(path) || path.includes('\0'))
      throw new PathRefused(`path refused: ${JSON.stringify(path)} (use a relative path)`);
    const root = await realpath(this.workdir);
    const target = resolve(root, path);
    const inside = (p: string) => p === root || p.startsWith(root + sep);
    if (!inside(target)) throw new PathRefused(`path refused: ${JSON.stringify(path)} is outside the repository`);
    if (relative(root, target).split(sep).includes('.git'))
      throw new PathRefused(`path refused: ${JSON.stringify(path)} is inside .git`);
    // Follow symlinks of the part that exists: a link pointing out of the repository is refused.
    let existing = target;
    for (;;) {
      const info = await lstat(existing).catch(() => null);
      if (info) break;
      existing = dirname(existing);
    }
    if (!inside(await realpath(existing)))
      throw new PathRefused(`path refused: ${JSON.stringify(path)} leads outside the repository`);
    return target;
  }
}
