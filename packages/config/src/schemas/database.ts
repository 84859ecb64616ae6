import { z } from 'zod';
import { envPositiveInt, urlWithProtocols } from '../env-types.js';

export const databaseEnv = z.object({
  /** PostgreSQL connection string; the database is created if missing when the role may do so. */
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/agentbot'),
  /** Connections per process. */
  DATABASE_POOL_SIZE: envPositiveInt.max(100).default(10),
});

export function toDatabaseConfig(env: z.output<typeof databaseEnv>) {
  return { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
}
export type DatabaseConfig = ReturnType<typeof toDatabaseConfig>;
