import type { GatewayDeps } from '../../../gateway/src/deps.js';
import type { TestDatabase } from '@agent-bot/testing';
import type { FastifyInstance } from 'fastify';

interface DeliveryRow {
  id: string;
  provider: string;
  delivery_id: string;
  event: string;
  action: string | null;
  status: string;
  reason: string | null;
  task_id: string | null;
  received_at: Date;
  body: string;
}

const shape = (row: DeliveryRow) => ({
  id: row.id,
  provider: row.provider,
  delivery_id: row.delivery_id,
  event: row.event,
  action: row.action,
  status: row.status,
  reason: row.reason,
  task_id: row.task_id,
  received_at: row.received_at.toISOString(),
});

/**
 * The deliveries API contract the dashboard is built against (GET /api/deliveries, GET
 * /api/deliveries/:id with `payload`, POST /api/deliveries/:id/replay -> {result, delivery}), over the real
 * deliveries table. Registered only when the gateway has no deliveries routes of its own (the
 * ingestion work adds the real ones); the browser test then drives those instead.
 */
export async function registerDeliveriesStandIn(app: FastifyInstance, deps: GatewayDeps, db: TestDatabase) {
  if (app.hasRoute({ method: 'GET', url: '/api/deliveries' })) return false;
  await app.register(
    async (scope) => {
      scope.addHook('preHandler', async (request, reply) => {
        if (request.principal?.kind !== 'admin') {
          return reply.status(401).send({ error: { code: 'UNAUTHORIZED', message: 'operators only' } });
        }
        return undefined;
      });
      scope.get('/', async () => {
        const rows = await db.sql<DeliveryRow[]>`select * from deliveries order by received_at desc limit 100`;
        return { deliveries: rows.map((row) => shape(row)) };
      });
      scope.get<{ Params: { id: string } }>('/:id', async (request, reply) => {
        const [row] = await db.sql<DeliveryRow[]>`select * from deliveries where id = ${request.params.id}`;
        if (!row) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such delivery' } });
        let payload: unknown = row.body;
        try {
          payload = JSON.parse(row.body);
        } catch {
          // kept as text
        }
        return { delivery: { ...shape(row), headers: {}, payload } };
      });
      scope.post<{ Params: { id: string } }>('/:id/replay', async (request, reply) => {
        const [row] = await db.sql<DeliveryRow[]>`select * from deliveries where id = ${request.params.id}`;
        if (!row) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such delivery' } });
        const task = await deps.tasks.create({
          kind: 'answer',
          priority: 'P2',
          source: 'github',
          prompt: `replay of ${row.event}.${row.action ?? ''}`,
          runner: 'noop',
          context: { replayOf: row.id },
        });
        const [updated] = await db.sql<DeliveryRow[]>`
          update deliveries set status = 'enqueued', reason = 'replayed from the dashboard', task_id = ${task.id}
          where id = ${row.id} returning *`;
        return { result: { status: 'enqueued', task_id: task.id, reason: null }, delivery: shape(updated as DeliveryRow) };
      });
    },
    { prefix: '/api/deliveries' },
  );
  return true;
}
