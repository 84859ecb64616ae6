/**
 * PostgreSQL text and jsonb cannot hold U+0000, and a JSON payload may carry one escaped (`\u0000`)
 * in any string. Removing it from everything derived from a payload keeps such a delivery from
 * failing its insert (a 5xx the sender would retry forever). Values without one (nearly all) are
 * returned as they are, after a walk that allocates nothing: this runs on every webhook.
 */
export function stripNulDeep<T>(value: T): T {
  return holdsNul(value) ? rebuildWithoutNul(value) : value;
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (Object.hasOwn(value, key) && (key.includes('\u0000') || holdsNul((value as Record<string, unknown>)[key]))) return true;
    }
  }
  return false;
}

function rebuildWithoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map((item) => rebuildWithoutNul(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [rebuildWithoutNul(key), rebuildWithoutNul(item)]),
    ) as T;
  }
  return value;
}
