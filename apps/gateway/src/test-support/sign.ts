import { createHmac } from 'node:crypto';

export function hmacHex(secret: string, message: string | Buffer): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

export function githubSignature(secret: string, body: string | Buffer): string {
  return `sha256=${hmacHex(secret, body)}`;
}

export function slackHeaders(secret: string, body: string, timestampSeconds: number): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': `v0=${hmacHex(secret, `v0:${timestampSeconds}:${body}`)}`,
  };
}
