import { createVerify, type KeyObject } from 'node:crypto';

/** Why a GitHub App JWT is refused, or undefined when it is valid for `appId` (RS256, iss, iat, exp). */
export function jwtProblem(jwt: string, publicKey: KeyObject, issuers: string[], nowSeconds: number): string | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return 'not a JWT';
  const [header64, payload64, signature64] = parts as [string, string, string];
  let header: { alg?: string };
  let payload: { iss?: unknown; iat?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(header64, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(payload64, 'base64url').toString('utf8'));
  } catch {
    return 'malformed JWT';
  }
  if (header.alg !== 'RS256') return `alg must be RS256, got ${String(header.alg)}`;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header64}.${payload64}`);
  if (!verifier.verify(publicKey, Buffer.from(signature64, 'base64url'))) return 'signature does not match the app public key';
  if (!issuers.includes(String(payload.iss))) return `iss ${String(payload.iss)} is not this app`;
  if (typeof payload.iat !== 'number' || payload.iat > nowSeconds + 60) return 'iat is in the future';
  if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) return 'JWT expired';
  // GitHub refuses a JWT that lives longer than 10 minutes.
  if (payload.exp - payload.iat > 660) return 'JWT lifetime exceeds 10 minutes';
  return undefined;
}
