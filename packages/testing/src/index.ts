export { createTestDatabase, TEST_POSTGRES_ADMIN_URL, type TestDatabase } from './test-database.js';
export { uniqueRedisPrefix, deleteRedisPrefix, TEST_REDIS_URL } from './test-redis.js';
export { waitFor } from './wait-for.js';
export { freePort } from './free-port.js';
export { startRedisServer, type RedisServer } from './redis-server.js';
export { startPostgresServer, type PostgresServer } from './postgres-server.js';
export { spawnSource, type SourceProcess } from './spawn-source.js';
export { waitForHttp } from './wait-for-http.js';
