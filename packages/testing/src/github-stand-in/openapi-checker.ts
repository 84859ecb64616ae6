import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Checks requests against GitHub's REST description (npm @octokit/openapi), so the stand-in cannot
 * accept a call the real API would reject: the method and path must match an operation, required
 * path and query parameters must be present, and a JSON body must carry the operation's required
 * properties with the right primitive types.
 */

type Json = Record<string, unknown>;

interface Operation {
  operationId: string;
  method: string;
  template: string;
  regex: RegExp;
  pathNames: string[];
  literalSegments: number;
  parameters: Json[];
  requestBody: Json | undefined;
}

export interface OperationMatch {
  operationId: string;
  template: string;
  pathParams: Record<string, string>;
}

export interface CheckResult {
  match: OperationMatch | undefined;
  violations: string[];
}

/** Which description to load: the github.com one, or a GitHub Enterprise Server release. */
export type OpenApiDescription = 'api.github.com' | 'ghes-3.17' | 'ghes-3.18' | 'ghes-3.19';

const loaded = new Map<OpenApiDescription, OpenApiChecker>();

/** The checker for a description, parsed once per process (the file is 13 MB). */
export function openApiChecker(description: OpenApiDescription = 'api.github.com'): OpenApiChecker {
  let checker = loaded.get(description);
  if (!checker) {
    const require = createRequire(import.meta.url);
    // The package's index.js requires every description (385 MB); read only the one we need.
    const file = require.resolve(`@octokit/openapi/generated/${description}.json`);
    checker = new OpenApiChecker(JSON.parse(readFileSync(file, 'utf8')) as Json);
    loaded.set(description, checker);
  }
  return checker;
}

export class OpenApiChecker {
  private readonly operations: Operation[] = [];

  constructor(private readonly spec: Json) {
    const paths = spec.paths as Record<string, Record<string, Json>>;
    for (const [template, item] of Object.entries(paths)) {
      const shared = (item.parameters as Json[] | undefined) ?? [];
      for (const [method, raw] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue;
        const pathNames: string[] = [];
        const pattern = template
          .split('/')
          .map((segment) =>
            segment.replace(/\{([^}]+)\}|[^{}]+/g, (part, name: string | undefined) => {
              if (name) {
                pathNames.push(name);
                return '([^/]+)';
              }
              return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
            }),
          )
          .join('/');
        this.operations.push({
          operationId: String(raw.operationId),
          method: method.toUpperCase(),
          template,
          regex: new RegExp(`^${pattern}$`),
          pathNames,
          literalSegments: template.split('/').filter((s) => s && !s.includes('{')).length,
          parameters: [...shared, ...((raw.parameters as Json[] | undefined) ?? [])].map((p) => this.resolve(p)),
          requestBody: raw.requestBody ? this.resolve(raw.requestBody as Json) : undefined,
        });
      }
    }
  }

  /** Matches `method` + `path` (no query string) and checks parameters and body. */
  check(input: { method: string; path: string; query: URLSearchParams; body: unknown; contentType?: string }): CheckResult {
    const candidates = this.operations
      .filter((op) => op.method === input.method.toUpperCase() && op.regex.test(input.path))
      // A literal segment beats a template one: /repos/{o}/{r}/pulls/comments over .../pulls/{pull_number}.
      .sort((a, b) => b.literalSegments - a.literalSegments);
    const op = candidates[0];
    if (!op) return { match: undefined, violations: [`no operation in the REST description for ${input.method} ${input.path}`] };

    const values = op.regex.exec(input.path)?.slice(1) ?? [];
    const pathParams: Record<string, string> = {};
    op.pathNames.forEach((name, index) => {
      pathParams[name] = decodeURIComponent(values[index] ?? '');
    });
    const violations: string[] = [];
    for (const parameter of op.parameters) {
      const name = String(parameter.name);
      const where = parameter.in;
      const schema = this.resolve((parameter.schema as Json | undefined) ?? {});
      const value = where === 'path' ? pathParams[name] : where === 'query' ? input.query.get(name) : undefined;
      if (where !== 'path' && where !== 'query') continue;
      if (value === undefined || value === null || value === '') {
        if (parameter.required === true) violations.push(`${op.operationId}: required ${where} parameter "${name}" is missing`);
        continue;
      }
      const problem = this.primitiveProblem(schema, value, true);
      if (problem) violations.push(`${op.operationId}: ${where} parameter "${name}" ${problem}`);
    }
    violations.push(...this.checkBody(op, input.body, input.contentType));
    return { match: { operationId: op.operationId, template: op.template, pathParams }, violations };
  }

  private checkBody(op: Operation, body: unknown, contentType: string | undefined): string[] {
    const hasBody = body !== undefined && body !== null && !(typeof body === 'string' && body === '');
    if (!op.requestBody) return [];
    const content = op.requestBody.content as Record<string, Json> | undefined;
    const json = content?.['application/json'];
    if (!hasBody) return op.requestBody.required === true ? [`${op.operationId}: a request body is required`] : [];
    if (!json) return [];
    if (contentType && !contentType.includes('json'))
      return [`${op.operationId}: body must be application/json, got ${contentType}`];
    if (typeof body !== 'object' || Array.isArray(body)) {
      const schema = this.resolve((json.schema as Json | undefined) ?? {});
      return schema.type === 'object' ? [`${op.operationId}: body must be a JSON object`] : [];
    }
    const schema = this.resolve((json.schema as Json | undefined) ?? {});
    const branches = ((schema.oneOf ?? schema.anyOf) as Json[] | undefined)?.map((b) => this.resolve(b));
    if (branches && branches.length > 0) {
      const results = branches.map((branch) => this.objectProblems(op.operationId, branch, body as Json));
      return results.some((r) => r.length === 0) ? [] : (results[0] ?? []);
    }
    return this.objectProblems(op.operationId, schema, body as Json);
  }

  private objectProblems(operationId: string, schema: Json, body: Json): string[] {
    const problems: string[] = [];
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (body[name] === undefined) problems.push(`${operationId}: required body property "${name}" is missing`);
    }
    const properties = (schema.properties as Record<string, Json> | undefined) ?? {};
    for (const [name, value] of Object.entries(body)) {
      const property = properties[name];
      if (!property || value === null) continue;
      const problem = this.primitiveProblem(this.resolve(property), value, false);
      if (problem) problems.push(`${operationId}: body property "${name}" ${problem}`);
    }
    return problems;
  }

  /** Type check of a primitive value; query values arrive as strings, so they are parsed first. */
  private primitiveProblem(schema: Json, value: unknown, fromString: boolean): string | undefined {
    const type = schema.type;
    const types = Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
    if (types.length === 0) return undefined;
    const ok = types.some((t) => {
      switch (t) {
        case 'string':
          return typeof value === 'string';
        case 'integer':
          return fromString ? /^-?\d+$/.test(String(value)) : Number.isInteger(value);
        case 'number':
          return fromString ? !Number.isNaN(Number(value)) : typeof value === 'number';
        case 'boolean':
          return fromString ? value === 'true' || value === 'false' : typeof value === 'boolean';
        case 'array':
          return fromString || Array.isArray(value);
        case 'object':
          return typeof value === 'object' && !Array.isArray(value);
        default:
          return true;
      }
    });
    if (!ok) return `must be ${types.join(' or ')}, got ${JSON.stringify(value)}`;
    const allowed = schema.enum as unknown[] | undefined;
    if (allowed && !fromString && !allowed.includes(value)) return `must be one of ${allowed.join(', ')}`;
    if (allowed && fromString && !allowed.map(String).includes(String(value))) return `must be one of ${allowed.join(', ')}`;
    return undefined;
  }

  /** Follows `#/components/...` references (the non-dereferenced description uses them). */
  private resolve(node: Json): Json {
    let current = node;
    for (let depth = 0; typeof current.$ref === 'string' && depth < 10; depth++) {
      const target = (current.$ref as string)
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((at, key) => (at as Json | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.spec);
      if (!target) throw new Error(`unresolvable reference ${String(current.$ref)}`);
      current = target as Json;
    }
    return current;
  }
}
