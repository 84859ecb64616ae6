import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf, SecretCipher } from './secret-cipher.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const context = 'github_users/42/access_token_enc';

function withPart(envelope: string, index: number, replace: (part: Buffer) => Buffer): string {
  const parts = envelope.split('.');
  parts[index] = replace(Buffer.from(parts[index] ?? '', 'base64url')).toString('base64url');
  return parts.join('.');
}

describe('SecretCipher', () => {
  const cipher = new SecretCipher({ currentKey: keyA });

  it('round-trips and names the writing key, with a fresh IV for every value', () => {
    const one = cipher.encrypt('ghu_secret', context);
    const two = cipher.encrypt('ghu_secret', context);
    expect(cipher.decrypt(one, context)).toBe('ghu_secret');
    expect(one).not.toBe(two);
    expect(one.split('.')[2]).not.toBe(two.split('.')[2]);
    expect(Buffer.from(one.split('.')[2] ?? '', 'base64url')).toHaveLength(12);
    expect(cipher.keyIdIn(one)).toBe(keyIdOf(keyA));
    expect(one).not.toContain('ghu_secret');
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = cipher.encrypt('ghu_secret', context);
    const tampered = withPart(sealed, 4, (ct) => {
      const copy = Buffer.from(ct);
      copy[0] = (copy[0] ?? 0) ^ 1;
      return copy;
    });
    expect(() => cipher.decrypt(tampered, context)).toThrowError(expect.objectContaining({ code: 'SECRET_TAMPERED' }));
  });

  it('refuses a value moved to another row (the row identity is additional data)', () => {
    const sealed = cipher.encrypt('ghu_secret', context);
    expect(() => cipher.decrypt(sealed, 'github_users/43/access_token_enc')).toThrowError(
      expect.objectContaining({ code: 'SECRET_TAMPERED' }),
    );
  });

  it('refuses a 4-byte auth tag, which Node alone would accept without authTagLength', () => {
    const sealed = cipher.encrypt('ghu_secret', context);
    const short = withPart(sealed, 3, (tag) => tag.subarray(0, 4));
    expect(() => cipher.decrypt(short, context)).toThrowError(/auth tag must be 16 bytes, got 4/);
    expect(() => cipher.decrypt(short, context)).toThrowError(expect.objectContaining({ code: 'SECRET_TAMPERED' }));
    // Why the check exists: GCM itself only refuses a short tag when told the expected length.
    const [, , iv, tag] = short.split('.');
    const lax = createDecipheriv('aes-256-gcm', keyA, Buffer.from(iv ?? '', 'base64url'));
    expect(() => lax.setAuthTag(Buffer.from(tag ?? '', 'base64url'))).not.toThrow();
    const strict = createDecipheriv('aes-256-gcm', keyA, Buffer.from(iv ?? '', 'base64url'), { authTagLength: 16 });
    expect(() => strict.setAuthTag(Buffer.from(tag ?? '', 'base64url'))).toThrow();
  });

  it('refuses a value written with a key it does not hold, naming the key id', () => {
    const other = new SecretCipher({ currentKey: keyB });
    const sealed = other.encrypt('ghu_secret', context);
    expect(() => cipher.decrypt(sealed, context)).toThrowError(expect.objectContaining({ code: 'SECRET_KEY_UNKNOWN' }));
    expect(() => cipher.decrypt(sealed, context)).toThrowError(new RegExp(keyIdOf(keyB)));
  });

  it('reads with older keys and writes with the current one', () => {
    const old = new SecretCipher({ currentKey: keyA }).encrypt('v', context);
    const rotated = new SecretCipher({ currentKey: keyB, previousKeys: [keyA] });
    expect(rotated.decrypt(old, context)).toBe('v');
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.keyIdIn(rotated.encrypt('v', context))).toBe(keyIdOf(keyB));
  });

  it('refuses keys that are not 32 bytes and envelopes that are not v1', () => {
    expect(() => new SecretCipher({ currentKey: randomBytes(16) })).toThrowError(
      expect.objectContaining({ code: 'SECRET_KEY_INVALID' }),
    );
    expect(() => new SecretCipher({ currentKey: keyA, previousKeys: [randomBytes(31)] })).toThrowError(/32 bytes, got 31/);
    expect(() => cipher.decrypt('plain-text-token', context)).toThrowError(expect.objectContaining({ code: 'SECRET_MALFORMED' }));
  });
});
