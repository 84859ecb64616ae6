import { createLogger } from '@agent-bot/observability';
import { describe, expect, it } from 'vitest';
import { createRefusedOriginWarnings } from './refused-origin-warnings.js';

function setUp(options: { maxPerInterval?: number } = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    name: 'gateway-test',
    level: 'warn',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  let clock = 1_000_000;
  const warn = createRefusedOriginWarnings({
    logger,
    publicUrl: 'http://localhost:8080',
    allowedOrigins: ['http://localhost:8080'],
    intervalMs: 60_000,
    now: () => clock,
    ...options,
  });
  return { lines, warn, advance: (ms: number) => (clock += ms) };
}

describe('refused WebSocket Origin warnings', () => {
  it('names the Origin and PUBLIC_URL once per minute per Origin, then counts what it held back', () => {
    const { lines, warn, advance } = setUp();
    for (let i = 0; i < 20; i++) {
      warn('http://localhost:9090');
      advance(1000);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      origin: 'http://localhost:9090',
      publicUrl: 'http://localhost:8080',
      suppressedSinceLast: 0,
    });
    expect(String(lines[0]?.msg)).toContain('Origin http://localhost:9090');
    expect(String(lines[0]?.msg)).toContain('PUBLIC_URL (http://localhost:8080)');

    advance(60_000);
    warn('http://localhost:9090');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ origin: 'http://localhost:9090', suppressedSinceLast: 19 });
  });

  it('caps warnings across made-up Origins', () => {
    const { lines, warn } = setUp({ maxPerInterval: 3 });
    for (let i = 0; i < 50; i++) warn(`https://evil-${i}.example`);
    expect(lines).toHaveLength(3);
  });
});
