/**
 * WebSocket fan-out: one task's log lines delivered to 500 connected dashboard clients. For each
 * line, the time from the publisher sending it until each client has parsed it (p50/p99/max over
 * every line x client), for the real path (event bus over Redis pub/sub -> gateway /api/ws with
 * session, Origin check and per-subscription routing) beside a bare @fastify/websocket server that
 * broadcasts the same frames in-process, measured in the same run on the same machine.
 *
 * Runs alone: npx tsx --conditions=@agent-bot/source bench/websocket-fanout.bench.ts
 * Uses the local PostgreSQL and Redis (a database and key prefix of its own, removed afterwards).
 * Bounded: CLIENTS connections, LINES lines, each phase stops at its time budget.
 */
import { liveChannels } from '@agent-bot/contracts';
import { freePort } from '@agent-bot/testing';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import { WebSocket } from 'ws';
import { TEST_ADMIN_TOKEN, createTestGateway } from '../apps/gateway/src/test-support/test-gateway.js';

const CLIENTS = 500;
const LINES = 200;
const LINE_INTERVAL_MS = 10;
const WARMUP_LINES = 20;
const PHASE_BUDGET_MS = 30_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Result {
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  expected: number;
}

/** Opens CLIENTS sockets; each records latency of frames whose payload carries `sentAt`. */
async function connectClients(url: string, headers: Record<string, string>, onOpen: (socket: WebSocket) => void) {
  const latencies: number[] = [];
  let received = 0;
  const sockets: WebSocket[] = [];
  const batch = 50;
  for (let i = 0; i < CLIENTS; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, CLIENTS - i) }, async () => {
        const socket = new WebSocket(url, { headers });
        sockets.push(socket);
        socket.on('message', (data) => {
          const text = data.toString();
          const match = /"sentAt=(\d+(?:\.\d+)?);line=(\d+)/.exec(text);
          if (!match) return;
          received++;
          if (Number(match[2]) >= WARMUP_LINES) latencies.push(performance.now() - Number(match[1]));
        });
        await new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve());
          socket.once('error', reject);
          socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
        });
        onOpen(socket);
      }),
    );
  }
  return { sockets, latencies, received: () => received };
}

async function runPhase(
  publish: (line: number) => Promise<void> | void,
  clients: { latencies: number[]; received: () => number },
): Promise<Result> {
  const expected = LINES * CLIENTS;
  const deadline = Date.now() + PHASE_BUDGET_MS;
  for (let line = 0; line < LINES && Date.now() < deadline; line++) {
    await publish(line);
    await new Promise((resolve) => setTimeout(resolve, LINE_INTERVAL_MS));
  }
  while (clients.received() < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const sorted = clients.latencies.slice().sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    delivered: clients.received(),
    expected,
  };
}

async function benchAgentBot(): Promise<Result> {
  const gateway = await createTestGateway({ overrides: { apiRateLimitPerMinute: 100_000 } });
  try {
    const port = await freePort();
    await gateway.app.listen({ port, host: '127.0.0.1' });
    const signIn = await gateway.app.inject({ method: 'POST', url: '/api/session', payload: { token: TEST_ADMIN_TOKEN } });
    const cookie = String([signIn.headers['set-cookie']].flat()[0]).split(';')[0] as string;
    const task = await gateway.deps.tasks.create({ kind: 'answer', priority: 'P2', source: 'api', prompt: 'bench', context: {} });
    let subscribed = 0;
    const clients = await connectClients(
      `ws://127.0.0.1:${port}/api/ws`,
      { cookie, origin: gateway.deps.publicUrl },
      (socket) => {
        // Counts the acknowledgement, then stops listening so the timed path matches the baseline's.
        const onSubscribed = (data: unknown) => {
          if (String(data).startsWith('{"type":"subscribed"')) {
            subscribed++;
            socket.off('message', onSubscribed);
          }
        };
        socket.on('message', onSubscribed);
        socket.send(JSON.stringify({ type: 'subscribe', channel: 'task', id: task.id }));
      },
    );
    while (subscribed < CLIENTS) await new Promise((resolve) => setTimeout(resolve, 20));
    // What the worker's TaskReporter publishes for each log line (the row id here is synthetic).
    const result = await runPhase(
      (line) =>
        gateway.deps.events.publish(liveChannels.task(task.id), {
          kind: 'task.log',
          taskId: task.id,
          eventId: String(line + 1),
          logKind: 'agent.log',
          message: `sentAt=${performance.now()};line=${line} running the tests in packages/db`,
          at: new Date().toISOString(),
        }),
      clients,
    );
    for (const socket of clients.sockets) socket.terminate();
    return result;
  } finally {
    await gateway.close();
  }
}

async function benchBare(): Promise<Result> {
  const app = Fastify();
  await app.register(fastifyWebsocket);
  const sockets = new Set<import('ws').WebSocket>();
  app.get('/ws', { websocket: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  try {
    const clients = await connectClients(`ws://127.0.0.1:${port}/ws`, {}, () => {});
    while (sockets.size < CLIENTS) await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await runPhase((line) => {
      // The same frame the gateway sends, so only the path differs.
      const taskId = '00000000-0000-4000-8000-000000000000';
      const frame = JSON.stringify({
        type: 'event',
        key: `task:${taskId}`,
        event: {
          kind: 'task.log',
          taskId,
          eventId: String(line + 1),
          logKind: 'agent.log',
          message: `sentAt=${performance.now()};line=${line} running the tests in packages/db`,
          at: new Date().toISOString(),
        },
      });
      for (const socket of sockets) socket.send(frame);
    }, clients);
    for (const socket of clients.sockets) socket.terminate();
    return result;
  } finally {
    await app.close();
  }
}

const ms = (value: number) => value.toFixed(2);
const row = (cells: string[], widths: number[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 12)).join(' ');

const bare = await benchBare();
const agentBot = await benchAgentBot();
const widths = [44, 9, 9, 9, 16, 12];
console.log(
  `\nOne task's log lines to ${CLIENTS} WebSocket clients: ${LINES} lines ${LINE_INTERVAL_MS} ms apart (first ${WARMUP_LINES} not timed)`,
);
console.log(row(['', 'p50 ms', 'p99 ms', 'max ms', 'delivered', 'p99 vs bare'], widths));
for (const [label, result] of [
  ['bare @fastify/websocket broadcast', bare],
  ['agent-bot /api/ws (Redis bus, auth, routing)', agentBot],
] as const) {
  console.log(
    row(
      [
        label,
        ms(result.p50),
        ms(result.p99),
        ms(result.max),
        `${result.delivered}/${result.expected}`,
        `${(result.p99 / bare.p99).toFixed(2)}x`,
      ],
      widths,
    ),
  );
}
process.exit(agentBot.delivered === agentBot.expected ? 0 : 1);
