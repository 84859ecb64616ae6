/**
 * A synthetic but realistic repository for benchmarks: TypeScript, Python and Go modules that
 * define functions and classes and call each other's, ~2.5 KB per file.
 */
export function syntheticRepo(fileCount: number, seed = 1): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < fileCount; i++) {
    const kind = i % 10;
    if (kind < 6) files[`src/mod${Math.floor(i / 100)}/file${i}.ts`] = tsFile(i, fileCount, seed);
    else if (kind < 8) files[`py/pkg${Math.floor(i / 100)}/file${i}.py`] = pyFile(i, fileCount, seed);
    else files[`go/pkg${Math.floor(i / 100)}/file${i}.go`] = goFile(i, fileCount, seed);
  }
  return files;
}

/** The same repository with `count` files edited (a new function each), for re-index benches. */
export function editFiles(files: Record<string, string>, count: number): Record<string, string> {
  const paths = Object.keys(files).slice(0, count);
  return Object.fromEntries(
    paths.map((path) => [
      path,
      `${files[path]}\n// edited\n${path.endsWith('.py') ? 'def edited_fn():\n    return 1\n' : path.endsWith('.go') ? 'func EditedFn() int { return 1 }\n' : 'export function editedFn() { return 1; }\n'}`,
    ]),
  );
}

const other = (i: number, n: number, k: number) => (i * 7 + k * 13) % n;

function tsFile(i: number, n: number, seed: number): string {
  const lines = [
    `import { helper${other(i, n, 1)} } from '../shared/helper${other(i, n, 1)}.js';`,
    `import { Service${other(i, n, 2)} } from './service${other(i, n, 2)}.js';`,
    '',
  ];
  lines.push(`export interface Options${i} {\n  name: string;\n  retries: number;\n  seed: ${seed};\n}\n`);
  for (let f = 0; f < 8; f++) {
    lines.push(
      `export function compute${i}_${f}(input: Options${i}, count: number): number {`,
      `  let total = helper${other(i, n, 1)}(input.name.length, count);`,
      `  for (let index = 0; index < count; index++) {`,
      `    total += compute${other(i, n, f + 3)}_${f}Value(index) * ${f + 1};`,
      `  }`,
      `  return total + input.retries;`,
      `}`,
      '',
    );
  }
  lines.push(
    `export class Handler${i} {`,
    `  constructor(private readonly service: Service${other(i, n, 2)}) {}`,
    `  handle(value: string): string {`,
    `    return this.service.run(value).trim();`,
    `  }`,
    `}`,
  );
  return lines.join('\n');
}

function pyFile(i: number, n: number, seed: number): string {
  const lines = [`import os.path`, `from .helper${other(i, n, 1)} import helper${other(i, n, 1)}`, ''];
  for (let f = 0; f < 8; f++) {
    lines.push(
      `def compute_${i}_${f}(name, count):`,
      `    total = helper${other(i, n, 1)}(len(name), count)`,
      `    for index in range(count):`,
      `        total += compute_${other(i, n, f + 3)}_${f}(name, index) * ${f + 1 + seed}`,
      `    return total`,
      '',
    );
  }
  lines.push(
    `class Handler${i}:`,
    `    def __init__(self, service):`,
    `        self.service = service`,
    '',
    `    def handle(self, value):`,
    `        return self.service.run(value).strip()`,
    '',
  );
  return lines.join('\n');
}

function goFile(i: number, n: number, seed: number): string {
  const lines = [`package pkg${Math.floor(i / 100)}`, '', `import "fmt"`, ''];
  lines.push(`type Handler${i} struct {`, `\tName string`, `\tSeed int`, `}`, '');
  for (let f = 0; f < 8; f++) {
    lines.push(
      `func Compute${i}_${f}(name string, count int) int {`,
      `\ttotal := len(name) + ${seed}`,
      `\tfor index := 0; index < count; index++ {`,
      `\t\ttotal += Compute${other(i, n, f + 3)}_${f}(name, index) * ${f + 1}`,
      `\t}`,
      `\treturn total`,
      `}`,
      '',
    );
  }
  lines.push(`func (h *Handler${i}) Handle(value string) string {`, `\treturn fmt.Sprintf("%s-%d", value, h.Seed)`, `}`);
  return lines.join('\n');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
