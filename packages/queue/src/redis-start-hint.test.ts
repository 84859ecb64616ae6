import { describe, expect, it } from 'vitest';
import { redisStartHint } from './redis-start-hint.js';

describe('redisStartHint', () => {
  it("uses REDIS_URL's own port for a local server", () => {
    expect(redisStartHint('redis://127.0.0.1:6380')).toContain('redis-server --daemonize yes --port 6380');
    expect(redisStartHint('redis://localhost')).toContain('--port 6379');
    expect(redisStartHint('redis://user:secret@[::1]:7000/2')).toContain('--port 7000');
  });

  it('never suggests a local server for a remote or TLS Redis, and names its host and port', () => {
    const remote = redisStartHint('redis://cache.internal:6390');
    expect(remote).not.toContain('redis-server');
    expect(remote).toContain('cache.internal port 6390');
    expect(redisStartHint('rediss://localhost:6443')).toContain('localhost port 6443');
    expect(redisStartHint('redis://redis:6379')).toContain('docker compose up -d redis');
  });

  it('keeps credentials out of the hint', () => {
    expect(redisStartHint('redis://user:secret@cache.internal:6390')).not.toContain('secret');
  });
});
