import { isIP } from 'node:net';
import { z } from 'zod';

/** Names proxy-addr (Fastify's trustProxy) understands besides addresses and CIDR ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IP, an IP/prefix CIDR range or a named range, as Fastify's trustProxy list accepts. */
function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** What Fastify's `trustProxy` option receives. */
export type TrustProxy = boolean | string[];

const TRUE_WORDS = ['true', 'yes', 'on'];
const FALSE_WORDS = ['false', 'no', 'off'];

export const proxyEnv = z.object({
  /**
   * Which X-Forwarded-For / X-Forwarded-Proto / X-Forwarded-Host headers the gateway believes.
   * The client address they yield keys the per-client API rate limit, so trusting them when no
   * proxy strips them lets any client choose its own address and dodge the limit.
   * - `false` (default): headers ignored; the client is the TCP peer.
   * - `true`: trust them from anyone; only when every request passes a proxy that overwrites them.
   * A hop count is refused: Fastify 5 treats a number as "trust nobody", because a count cannot
   * tell the proxy from a client that connects directly and sends its own header.
   * - a comma list of proxy addresses, CIDR ranges or `loopback`/`linklocal`/`uniquelocal`,
   *   e.g. `10.0.0.0/8,127.0.0.1`: trust the headers only when they come from those.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx): TrustProxy => {
      const trimmed = value.trim().toLowerCase();
      if (TRUE_WORDS.includes(trimmed)) return true;
      if (FALSE_WORDS.includes(trimmed)) return false;
      if (/^\d+$/.test(trimmed)) {
        ctx.addIssue({
          code: 'custom',
          message:
            'hop counts are not supported (they cannot tell the proxy from a direct client): list the proxy addresses or CIDR ranges, or true',
        });
        return z.NEVER;
      }
      const entries = value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
      const invalid = entries.filter((entry) => !isAddressOrRange(entry));
      if (entries.length === 0 || invalid.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be true, false or a comma list of proxy IPs/CIDR ranges (not understood: ${invalid.join(', ') || value})`,
        });
        return z.NEVER;
      }
      return entries;
    }),
});

export function toProxyConfig(env: z.output<typeof proxyEnv>) {
  return { trustProxy: env.TRUST_PROXY };
}
export type ProxyConfig = ReturnType<typeof toProxyConfig>;
