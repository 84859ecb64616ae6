import { z } from 'zod';
import { envPort, urlWithProtocols } from '../env-types.js';

export const serverEnv = z.object({
  /** Gateway HTTP port. */
  PORT: envPort.default(8080),
  /** Worker health/metrics port. */
  WORKER_PORT: envPort.default(8081),
  /** Interface to bind; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where GitHub and browsers reach the gateway; used in links and OAuth callbacks. */
  PUBLIC_URL: urlWithProtocols(['http:', 'https:']).default('http://localhost:8080'),
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
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    production: env.NODE_ENV === 'production',
  };
}
export type ServerConfig = ReturnType<typeof toServerConfig>;
