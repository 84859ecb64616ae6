import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../load-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return error instanceof ConfigError ? error.problems : [String(error)];
  }
}

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default, so X-Forwarded-For cannot choose the client address', () => {
    expect(loadConfig({}).proxy.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }).proxy.trustProxy).toBe(false);
  });

  it('accepts true/false and a list of addresses or CIDR ranges', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).proxy.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'FALSE' }).proxy.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, 127.0.0.1 ,fd00::/8,loopback' }).proxy.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses anything else, naming the entries it does not understand', () => {
    expect(problemsOf({ TRUST_PROXY: 'maybe' })).toEqual([
      'TRUST_PROXY: must be true, false or a comma list of proxy IPs/CIDR ranges (not understood: maybe)',
    ]);
    // Fastify 5 ignores a hop count (it cannot validate the peer): refuse it rather than trust nobody silently.
    expect(problemsOf({ TRUST_PROXY: '1' })[0]).toMatch(/^TRUST_PROXY: hop counts are not supported/);
    expect(problemsOf({ TRUST_PROXY: '10.0.0.0/33,127.0.0.1' })[0]).toContain('not understood: 10.0.0.0/33');
    expect(problemsOf({ TRUST_PROXY: '300.1.1.1' })[0]).toContain('not understood: 300.1.1.1');
    expect(problemsOf({ TRUST_PROXY: '-1' })[0]).toContain('not understood: -1');
    expect(problemsOf({ TRUST_PROXY: '10.0.0.1/8/1' })[0]).toContain('not understood: 10.0.0.1/8/1');
  });
});
