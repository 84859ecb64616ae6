import { z } from 'zod';
import { envPort, urlWithProtocols } from '../env-types.js';

export const serverEnv = z.object({
  /** Gateway HTTP port. */
  PORT: envPort.default(8080),
  /** Worker health/metrics port. */
  WORKER_PORT: envPort.default(8081),
  /** Interface to bind; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * Where GitHub and browsers reach the gateway; used in links, OAuth callbacks and the WebSocket's
   * Origin check. Unset: http://localhost:PORT, so an operator who only changes PORT still gets a
   * dashboard whose live feed is allowed (a fixed :8080 default refused it with 403).
   */
  PUBLIC_URL: urlWithProtocols(['http:', 'https:']).optional(),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** production turns on the checks that protect a real deployment (required secrets). */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

export function toServerConfig(env: z.output<typeof serverEnv>) {
  return {
    port: env.PORT,
    workerPort: env.WORKER_PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    production: env.NODE_ENV === 'production',
  };
}
export type ServerConfig = ReturnType<typeof toServerConfig>;
