import { hkdfSync, randomBytes } from 'node:crypto';

/**
 * Cookie signing key derived from ENCRYPTION_KEY, so operators manage one secret. Without one
 * (a development run) a random key is used and signed cookies do not survive a restart.
 */
export function deriveCookieSecret(encryptionKey: Buffer | undefined): Buffer {
  if (!encryptionKey) return randomBytes(32);
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'agent-bot cookie signing', 32));
}
