import type { IndexedFile, IndexedSymbol } from '@agent-bot/contracts';
import { Language, Parser, Query } from 'web-tree-sitter';
import { type LanguageSpec, languageById, languageOf } from './languages.js';

/** Files larger than this are listed but not parsed (generated bundles, fixtures). */
export const MAX_PARSED_BYTES = 512 * 1024;

interface LoadedLanguage {
  language: Language;
  query: Query;
}

/**
 * Parses source files with tree-sitter (WASM). Grammars load on first use of their language,
 * since loading all five costs a few hundred milliseconds.
 */
export class FileParser {
  private parser: Parser | null = null;
  private readonly loaded = new Map<string, Promise<LoadedLanguage>>();

  async parse(path: string, hash: string, source: string): Promise<IndexedFile | null> {
    const spec = languageOf(path);
    if (!spec || source.length > MAX_PARSED_BYTES) return null;
    const parser = await this.ensureParser();
    const { language, query } = await this.load(spec);
    parser.setLanguage(language);
    const tree = parser.parse(source);
    if (!tree) return null;
    try {
      const symbols: IndexedSymbol[] = [];
      const imports = new Set<string>();
      const references = new Set<string>();
      for (const capture of query.captures(tree.rootNode)) {
        const text = capture.node.text;
        if (capture.name === 'ref') references.add(text);
        else if (capture.name === 'import') imports.add(text.replace(/^["'`]|["'`]$/g, ''));
        else if (capture.name.startsWith('def.')) {
          symbols.push({ name: text, kind: capture.name.slice(4), line: capture.node.startPosition.row + 1 });
        }
      }
      // A definition's own name is not a use of it.
      for (const symbol of symbols) references.delete(symbol.name);
      return { path, hash, language: spec.id, symbols, imports: [...imports], references: [...references] };
    } finally {
      // WASM memory is not garbage collected: every tree must be freed.
      tree.delete();
    }
  }

  /**
   * Initialises the parser and loads the grammars of `languageIds` at once, so their WASM modules
   * compile concurrently instead of one by one as the first file of each turns up. Only languages
   * that appear in the files about to be parsed are passed.
   */
  async prepare(languageIds: Iterable<string> = []): Promise<void> {
    await this.ensureParser();
    const specs = [...new Set(languageIds)].flatMap((id) => languageById(id) ?? []);
    await Promise.all(specs.map((spec) => this.load(spec)));
  }

  private async ensureParser(): Promise<Parser> {
    if (!this.parser) {
      await Parser.init();
      this.parser = new Parser();
    }
    return this.parser;
  }

  private load(spec: LanguageSpec): Promise<LoadedLanguage> {
    let loading = this.loaded.get(spec.id);
    if (!loading) {
      loading = Language.load(spec.wasmPath()).then((language) => ({ language, query: new Query(language, spec.query) }));
      this.loaded.set(spec.id, loading);
    }
    return loading;
  }
}
