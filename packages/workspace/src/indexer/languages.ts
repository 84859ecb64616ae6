import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface LanguageSpec {
  id: string;
  /** Resolved lazily: a grammar is loaded only when a file of its language appears. */
  wasmPath: () => string;
  /**
   * Captures named `def.<kind>` are definitions, `import` module specifiers, `ref` uses of a name:
   * calls, constructions, imported names and type uses. Capturing every identifier costs about as
   * much as parsing and adds locals that never rank anything.
   */
  query: string;
}

const TS_COMMON = `
(function_declaration name: (identifier) @def.function)
(generator_function_declaration name: (identifier) @def.function)
(method_definition name: (property_identifier) @def.method)
(program (lexical_declaration (variable_declarator name: (identifier) @def.variable)))
(export_statement (lexical_declaration (variable_declarator name: (identifier) @def.variable)))
(import_statement source: (string (string_fragment) @import))
(export_statement source: (string (string_fragment) @import))
(call_expression function: (identifier) @_req arguments: (arguments (string (string_fragment) @import)) (#eq? @_req "require"))
(call_expression function: (identifier) @ref)
(call_expression function: (member_expression property: (property_identifier) @ref))
(new_expression constructor: (identifier) @ref)
(import_specifier name: (identifier) @ref)
`;

const TYPESCRIPT_QUERY = `${TS_COMMON}
(class_declaration name: (type_identifier) @def.class)
(abstract_class_declaration name: (type_identifier) @def.class)
(interface_declaration name: (type_identifier) @def.interface)
(type_alias_declaration name: (type_identifier) @def.type)
(enum_declaration name: (identifier) @def.enum)
(type_annotation (type_identifier) @ref)
(implements_clause (type_identifier) @ref)
(generic_type name: (type_identifier) @ref)
(extends_clause value: (identifier) @ref)
`;

const JAVASCRIPT_QUERY = `${TS_COMMON}
(class_declaration name: (identifier) @def.class)
(class_heritage (identifier) @ref)
`;

const PYTHON_QUERY = `
(function_definition name: (identifier) @def.function)
(class_definition name: (identifier) @def.class)
(module (expression_statement (assignment left: (identifier) @def.variable)))
(import_statement name: (dotted_name) @import)
(import_statement name: (aliased_import name: (dotted_name) @import))
(import_from_statement module_name: (dotted_name) @import)
(import_from_statement module_name: (relative_import) @import)
(import_from_statement name: (dotted_name (identifier) @ref))
(call (identifier) @ref)
(call (attribute attribute: (identifier) @ref))
(argument_list (identifier) @ref)
(class_definition superclasses: (argument_list (identifier) @ref))
`;

const GO_QUERY = `
(function_declaration name: (identifier) @def.function)
(method_declaration name: (field_identifier) @def.method)
(type_spec name: (type_identifier) @def.type)
(import_spec path: (interpreted_string_literal) @import)
(call_expression function: (identifier) @ref)
(call_expression function: (selector_expression field: (field_identifier) @ref))
(type_identifier) @ref
`;

const wasm = (pkg: string, file: string) => () => require.resolve(`${pkg}/${file}`);

const SPECS: Record<string, LanguageSpec> = {
  typescript: {
    id: 'typescript',
    wasmPath: wasm('tree-sitter-typescript', 'tree-sitter-typescript.wasm'),
    query: TYPESCRIPT_QUERY,
  },
  tsx: { id: 'tsx', wasmPath: wasm('tree-sitter-typescript', 'tree-sitter-tsx.wasm'), query: TYPESCRIPT_QUERY },
  javascript: {
    id: 'javascript',
    wasmPath: wasm('tree-sitter-javascript', 'tree-sitter-javascript.wasm'),
    query: JAVASCRIPT_QUERY,
  },
  python: { id: 'python', wasmPath: wasm('tree-sitter-python', 'tree-sitter-python.wasm'), query: PYTHON_QUERY },
  go: { id: 'go', wasmPath: wasm('tree-sitter-go', 'tree-sitter-go.wasm'), query: GO_QUERY },
};

const BY_EXTENSION: Record<string, string> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.go': 'go',
};

/** A language by its id (as in `IndexedFile.language`), or null. */
export function languageById(id: string): LanguageSpec | null {
  return SPECS[id] ?? null;
}

/** The language of a path by its extension, or null for files the index does not parse. */
export function languageOf(path: string): LanguageSpec | null {
  if (path.endsWith('.d.ts')) return null;
  const dot = path.lastIndexOf('.');
  const id = dot === -1 ? undefined : BY_EXTENSION[path.slice(dot)];
  return id ? (SPECS[id] ?? null) : null;
}
