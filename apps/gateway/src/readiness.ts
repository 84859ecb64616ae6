import type { JobQueue } from '@agent-bot/contracts';
import type { ReadinessProbe } from './deps.js';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Ready means PostgreSQL answers with the schema this build expects and Redis answers. */
export function createReadinessProbe(options: {
  databaseSchemaVersion: () => Promise<number>;
  expectedSchemaVersion: number;
  queue: JobQueue;
  timeoutMs?: number;
}): ReadinessProbe {
  const timeoutMs = options.timeoutMs ?? 1500;
  return {
    async problems() {
      const [database, redis] = await Promise.allSettled([
        withTimeout(options.databaseSchemaVersion(), timeoutMs, 'database'),
        withTimeout(options.queue.ping(), timeoutMs, 'redis'),
      ]);
      const problems: string[] = [];
      if (database.status === 'rejected') {
        problems.push(`database: ${(database.reason as Error).message}`);
      } else if (database.value < options.expectedSchemaVersion) {
        problems.push(
          `schema: database is at version ${database.value}, this build needs ${options.expectedSchemaVersion} (run npm run migrate)`,
        );
      }
      if (redis.status === 'rejected') problems.push(`redis: ${(redis.reason as Error).message}`);
      return problems;
    },
  };
}
