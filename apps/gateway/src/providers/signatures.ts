import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** True when `givenHex` is the HMAC-SHA256 of `message` under `secret`; constant-time in the secret-derived bytes. */
export function hmacSha256Matches(secret: string, message: Buffer | string, givenHex: string): boolean {
  if (!HEX_SHA256.test(givenHex)) return false;
  const expected = createHmac('sha256', secret).update(message).digest();
  return timingSafeEqual(Buffer.from(givenHex, 'hex'), expected);
}

export function isHexSha256(value: string): boolean {
  return HEX_SHA256.test(value);
}

export function hmacSha256Hex(secret: string, message: Buffer | string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}
