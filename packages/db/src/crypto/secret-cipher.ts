import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '@agent-bot/contracts';

/**
 * AES-256-GCM for secrets at rest. Each value is an envelope `v1.<key id>.<iv>.<tag>.<ciphertext>`
 * (base64url parts): a fresh 12-byte IV per value, a 16-byte tag that decryption insists on
 * (Node accepts truncated tags unless told the length), and the row identity as additional data
 * so a ciphertext moved to another row or column does not decrypt.
 *
 * A key id is a fingerprint of the key itself (not a label), so the id stored with a value always
 * names the key that wrote it, however the operator labels keys in ENCRYPTION_KEYS.
 */

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Fingerprint of a key: 12 hex characters of SHA-256 over a domain-separated key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('agent-bot/secret-key-id/').update(key).digest('hex').slice(0, 12);
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) {
    throw new AppError('SECRET_KEY_INVALID', `${what} must be ${KEY_BYTES} bytes, got ${key.length}`, { expected: true });
  }
}

export interface SecretCipherOptions {
  /** ENCRYPTION_KEY: encrypts every new value. */
  currentKey: Buffer;
  /** ENCRYPTION_KEYS: older keys, accepted for reading only. */
  previousKeys?: readonly Buffer[];
}

export class SecretCipher {
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(options: SecretCipherOptions) {
    assertKey(options.currentKey, 'ENCRYPTION_KEY');
    this.currentKeyId = keyIdOf(options.currentKey);
    this.keys.set(this.currentKeyId, options.currentKey);
    for (const key of options.previousKeys ?? []) {
      assertKey(key, 'every ENCRYPTION_KEYS key');
      this.keys.set(keyIdOf(key), key);
    }
  }

  /** Encrypts `plaintext` bound to `context` (the row identity, e.g. `github_users/42/access_token`). */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId) as Buffer, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.currentKeyId,
      iv.toString('base64url'),
      tag.toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /** Decrypts an envelope written for `context`; fails closed with a coded AppError on any doubt. */
  decrypt(envelope: string, context: string): string {
    const { keyId, iv, tag, ciphertext } = parseEnvelope(envelope);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new AppError(
        'SECRET_KEY_UNKNOWN',
        `secret was written with key ${keyId}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEYS`,
        {
          expected: true,
        },
      );
    }
    if (iv.length !== IV_BYTES)
      throw new AppError('SECRET_MALFORMED', `secret IV must be ${IV_BYTES} bytes, got ${iv.length}`, { expected: true });
    // Checked here as well as by authTagLength: a short tag is forgery made easy, never a valid value.
    if (tag.length !== TAG_BYTES)
      throw new AppError('SECRET_TAMPERED', `secret auth tag must be ${TAG_BYTES} bytes, got ${tag.length}`, { expected: true });
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new AppError('SECRET_TAMPERED', 'secret failed authentication (tampered, or stored for another row)', {
        expected: true,
      });
    }
  }

  /** The key id an envelope names, without decrypting. */
  keyIdIn(envelope: string): string {
    return parseEnvelope(envelope).keyId;
  }

  /** True when the envelope was written with an older key and should be rewritten. */
  isStale(envelope: string): boolean {
    return this.keyIdIn(envelope) !== this.currentKeyId;
  }
}

function parseEnvelope(envelope: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = envelope.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new AppError('SECRET_MALFORMED', 'stored secret is not a v1 envelope', { expected: true });
  }
  const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (!/^[0-9a-f]{12}$/.test(keyId))
    throw new AppError('SECRET_MALFORMED', 'stored secret has a malformed key id', { expected: true });
  return {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
}
