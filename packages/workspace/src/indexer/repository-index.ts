import type { CodeSearchHit, IndexedFile, IndexedSymbol } from '@agent-bot/contracts';

/** Rough token count of prompt text: about four characters per token for code. */
const tokensOf = (text: string) => Math.ceil(text.length / 4);

/** Lower-case words of an identifier, path or prompt: `parseHttpURL` -> parse, http, url. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 3);
}

interface RankedSymbol extends IndexedSymbol {
  path: string;
  score: number;
}

/**
 * A repository's index for one commit, in memory: the ranked map given to the agent in its prompt
 * and the search behind the Ollama runner's search tool.
 */
export class RepositoryIndex {
  /** For each identifier, how many files use it (the reference graph, collapsed to counts). */
  private readonly referenceCounts = new Map<string, number>();

  constructor(readonly files: IndexedFile[]) {
    for (const file of files) {
      for (const name of file.references) this.referenceCounts.set(name, (this.referenceCounts.get(name) ?? 0) + 1);
    }
  }

  get symbolCount(): number {
    return this.files.reduce((sum, file) => sum + file.symbols.length, 0);
  }

  /** Files that use `name` (a definition's callers or importers), for "who references this". */
  referencesTo(name: string): string[] {
    return this.files.filter((file) => file.references.includes(name)).map((file) => file.path);
  }

  /**
   * The repository map: files with their definitions, most-referenced and task-relevant first,
   * cut to `budgetTokens`.
   */
  repoMap(options: { budgetTokens: number; query?: string }): string {
    const wanted = new Set(wordsOf(options.query ?? ''));
    const byFile = new Map<string, RankedSymbol[]>();
    for (const file of this.files) {
      const pathHits = wordsOf(file.path).filter((word) => wanted.has(word)).length;
      const ranked = file.symbols.map((symbol) => {
        const nameHits = wordsOf(symbol.name).filter((word) => wanted.has(word)).length;
        const score = (this.referenceCounts.get(symbol.name) ?? 0) + 20 * nameHits + 5 * pathHits;
        return { ...symbol, path: file.path, score };
      });
      byFile.set(
        file.path,
        ranked.sort((a, b) => b.score - a.score || a.line - b.line),
      );
    }
    const order = [...byFile.entries()].sort(
      ([pathA, a], [pathB, b]) => fileScore(b) - fileScore(a) || pathA.localeCompare(pathB),
    );
    const lines: string[] = [];
    let used = 0;
    for (const [path, symbols] of order) {
      const block = [`${path}:`, ...symbols.slice(0, 12).map((s) => `  ${s.kind} ${s.name} (line ${s.line})`)];
      const cost = tokensOf(block.join('\n')) + 1;
      if (used + cost > options.budgetTokens) {
        // A file that does not fit with its symbols may still fit as a bare path.
        if (used + tokensOf(path) + 1 > options.budgetTokens) continue;
        lines.push(path);
        used += tokensOf(path) + 1;
        continue;
      }
      lines.push(...block);
      used += cost;
    }
    return lines.join('\n');
  }

  /** Definitions whose name (or file path) matches `query`, best first. */
  search(query: string, limit = 20): CodeSearchHit[] {
    const needle = query.trim().toLowerCase();
    if (needle === '') return [];
    const words = wordsOf(query);
    const hits: (CodeSearchHit & { score: number })[] = [];
    for (const file of this.files) {
      const pathMatch = file.path.toLowerCase().includes(needle);
      for (const symbol of file.symbols) {
        const name = symbol.name.toLowerCase();
        let score = name === needle ? 100 : name.includes(needle) ? 50 : 0;
        score += 10 * wordsOf(symbol.name).filter((word) => words.includes(word)).length;
        if (pathMatch) score += 5;
        if (score === 0) continue;
        score += Math.min(this.referenceCounts.get(symbol.name) ?? 0, 20);
        hits.push({ path: file.path, line: symbol.line, name: symbol.name, kind: symbol.kind, score });
      }
    }
    return hits
      .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path) || a.line - b.line)
      .slice(0, limit)
      .map(({ score: _score, ...hit }) => hit);
  }
}

function fileScore(symbols: RankedSymbol[]): number {
  return symbols.slice(0, 3).reduce((sum, symbol) => sum + symbol.score, 0);
}
