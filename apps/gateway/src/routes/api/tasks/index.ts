import { AppError, taskRequestSchema, taskStatusSchema } from '@agent-bot/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayDeps } from '../../../deps.js';
import { requireAdminPrincipal, requireSession } from '../../../plugins/session.js';
import { createTask } from '../../../use-cases/create-task.js';
import { cancelTask, retryTask } from '../../../use-cases/retry-or-cancel-task.js';
import { serializeTask, serializeTaskEvent, serializeTaskRun } from './serialize-task.js';

const createBody = taskRequestSchema
  .omit({ source: true, deliveryId: true })
  .extend({ kind: taskRequestSchema.shape.kind.default('answer'), priority: taskRequestSchema.shape.priority.default('P2') });

const listQuery = z.object({
  status: taskStatusSchema.optional(),
  repo: z.string().optional(),
  bot: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: z.string().optional(),
});

/** Why an operator cancels; said on the tracking comment and in the task's log after who cancelled. */
const cancelBody = z.object({ reason: z.string().trim().min(1).max(500).optional() });

export async function taskRoutes(app: FastifyInstance, deps: GatewayDeps) {
  app.addHook('preHandler', requireSession);

  app.post('/', { preHandler: requireAdminPrincipal }, async (request, reply) => {
    const body = createBody.parse(request.body ?? {});
    const { task, enqueued } = await createTask({ ...deps, taskLedger: deps.ingestion?.taskLedger }, { ...body, source: 'api' });
    return reply.status(202).send({ task: serializeTask(task), enqueued });
  });

  app.get('/', async (request) => {
    const query = listQuery.parse(request.query);
    const tasks = await deps.tasks.list({
      status: query.status,
      repo: query.repo,
      botId: query.bot,
      limit: query.limit,
      before: query.before,
    });
    return { tasks: tasks.map(serializeTask) };
  });

  // The task and its runs (serializeTaskRun: what each execution spent, ordered by attempt and
  // then by when it began; empty until the first run records usage).
  app.get<{ Params: { id: string } }>('/:id', async (request) => {
    const [task, runs] = await Promise.all([deps.tasks.get(request.params.id), deps.tasks.listRuns(request.params.id)]);
    if (!task) throw new AppError('TASK_NOT_FOUND', `task ${request.params.id} not found`, { expected: true });
    return { task: serializeTask(task), runs: runs.map(serializeTaskRun) };
  });

  app.get<{ Params: { id: string }; Querystring: { after?: string } }>('/:id/events', async (request) => {
    const task = await deps.tasks.get(request.params.id);
    if (!task) throw new AppError('TASK_NOT_FOUND', `task ${request.params.id} not found`, { expected: true });
    const events = await deps.taskEvents.list(task.id, { afterId: request.query.after });
    return { events: events.map(serializeTaskEvent) };
  });

  app.post<{ Params: { id: string } }>('/:id/cancel', { preHandler: requireAdminPrincipal }, async (request) => {
    const { reason } = cancelBody.parse(request.body ?? {});
    const by = `cancelled by ${request.principal?.login ?? 'an operator'}`;
    const task = await cancelTask(deps, request.params.id, reason ? `${by}: ${reason}` : by);
    return { task: serializeTask(task) };
  });

  app.post<{ Params: { id: string } }>('/:id/retry', { preHandler: requireAdminPrincipal }, async (request, reply) => {
    const { task, enqueued } = await retryTask(deps, request.params.id, request.principal?.login ?? 'an operator');
    return reply.status(202).send({ task: serializeTask(task), enqueued });
  });
}
