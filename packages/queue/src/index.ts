export { createRedis, describeRedisUrl, type RedisClient, type RedisRole } from './redis-connection.js';
export { assertNoEviction } from './assert-no-eviction.js';
export { toBullPriority } from './priorities.js';
export { BullMqJobQueue, DEFAULT_QUEUE_NAME, type BullMqJobQueueOptions } from './bullmq-job-queue.js';
export { BullMqJobConsumer, type BullMqJobConsumerOptions } from './bullmq-job-consumer.js';
export { RedisEventBus, type RedisEventBusOptions } from './redis-event-bus.js';
export { RedisWorkerRegistry } from './redis-worker-registry.js';
export { assertRedisReachable } from './assert-reachable.js';
export type { JobDefinitions } from './job-definitions.js';
