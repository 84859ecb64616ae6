import { z } from 'zod';
import { optionalSecret } from '../env-types.js';

/** Decodes a 32-byte key written as 64 hex characters or base64; undefined when it is neither. */
export function decodeKey(value: string): Buffer | undefined {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, 'base64');
    if (decoded.length === 32) return decoded;
  }
  return undefined;
}

/** `id:key,id:key` -> entries; a malformed entry has no key (and fails validation). */
function parseKeyList(value: string): { id: string; key: Buffer | undefined }[] {
  return value
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((entry) => {
      const separator = entry.indexOf(':');
      if (separator <= 0) return { id: entry.trim(), key: undefined };
      return { id: entry.slice(0, separator).trim(), key: decodeKey(entry.slice(separator + 1)) };
    });
}

const encryptionKey = optionalSecret.refine((value) => value === undefined || decodeKey(value) !== undefined, {
  message: 'must be 32 bytes written as 64 hex characters or base64 (generate one: openssl rand -base64 32)',
});

export const securityEnv = z.object({
  /** Bearer token for operator APIs and the dashboard's admin sign-in. At least 24 characters. */
  ADMIN_TOKEN: optionalSecret.refine((value) => value === undefined || value.length >= 24, {
    message: 'must be at least 24 characters (generate one: openssl rand -hex 24)',
  }),
  /** AES-256-GCM key for secrets at rest (32 bytes, base64 or hex). New values are written with it. */
  ENCRYPTION_KEY: encryptionKey,
  /**
   * Older keys still accepted for reading during rotation: `id1:key1,id2:key2` (each key 32 bytes,
   * base64 or hex). The id is a label for operators; stored values name their key by fingerprint.
   */
  ENCRYPTION_KEYS: optionalSecret.refine(
    (value) => value === undefined || parseKeyList(value).every((entry) => entry.key !== undefined),
    {
      message: 'must be id:key pairs separated by commas, each key 32 bytes written as 64 hex characters or base64',
    },
  ),
  /** How long a dashboard sign-in lasts. */
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
});

export interface EncryptionKeyEntry {
  id: string;
  key: Buffer;
}

export function toSecurityConfig(env: z.output<typeof securityEnv>) {
  const current = env.ENCRYPTION_KEY === undefined ? undefined : decodeKey(env.ENCRYPTION_KEY);
  const previous: EncryptionKeyEntry[] = [];
  for (const entry of parseKeyList(env.ENCRYPTION_KEYS ?? '')) {
    if (entry.key) previous.push({ id: entry.id, key: entry.key });
  }
  return {
    adminToken: env.ADMIN_TOKEN,
    encryptionKey: current,
    previousEncryptionKeys: previous,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3600 * 1000,
  };
}
export type SecurityConfig = ReturnType<typeof toSecurityConfig>;
