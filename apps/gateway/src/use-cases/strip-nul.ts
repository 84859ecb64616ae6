/**
 * PostgreSQL text and jsonb cannot hold U+0000, and a JSON payload may carry one escaped (`\u0000`)
 * in any string. Removing it from everything derived from a payload keeps such a delivery from
 * failing its insert (a 5xx the sender would retry forever).
 */
export function stripNulDeep<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map((item) => stripNulDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [stripNulDeep(key), stripNulDeep(item)]),
    ) as T;
  }
  return value;
}
