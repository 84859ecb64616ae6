import type { CliIo } from '../cli-io.js';
import { formatTable } from '../format-table.js';
import type { GatewayClient } from '../gateway-client.js';

interface DeliveryView {
  id: string;
  provider: string;
  event: string;
  action: string | null;
  status: string;
  reason: string | null;
  task_id: string | null;
  received_at: string;
}

export async function listDeliveries(
  client: GatewayClient,
  io: CliIo,
  options: { status?: string; provider?: string; limit?: string; json?: boolean },
) {
  const query = new URLSearchParams();
  if (options.status) query.set('status', options.status);
  if (options.provider) query.set('provider', options.provider);
  query.set('limit', options.limit ?? '20');
  const { deliveries } = await client.request<{ deliveries: DeliveryView[] }>('GET', `/api/deliveries?${query}`);
  if (options.json) return io.stdout(`${JSON.stringify(deliveries, null, 2)}\n`);
  if (deliveries.length === 0) return io.stdout('no deliveries\n');
  io.stdout(
    `${formatTable(
      ['ID', 'PROVIDER', 'EVENT', 'STATUS', 'REASON', 'TASK', 'RECEIVED'],
      deliveries.map((d) => [
        d.id,
        d.provider,
        d.action ? `${d.event}.${d.action}` : d.event,
        d.status,
        d.reason,
        d.task_id,
        d.received_at,
      ]),
    )}\n`,
  );
}

export async function replayDelivery(client: GatewayClient, io: CliIo, id: string) {
  // The answer: `result` (what this replay did, with the delivery's task) and the delivery as it now is.
  const { result, delivery } = await client.request<{
    result: {
      status: string;
      task_id: string | null;
      task_status?: string | null;
      reason: string | null;
      hint?: string | null;
    };
    delivery: DeliveryView | null;
  }>('POST', `/api/deliveries/${encodeURIComponent(id)}/replay`);
  if (result.status === 'already_ran') {
    // Not "enqueued": the task is not run again, and the operator should know what would run it.
    io.stdout(`replayed ${id}: already_ran, task ${result.task_id} is ${result.task_status} and was not run again\n`);
    if (result.hint) io.stdout(`hint: ${result.hint}\n`);
    return;
  }
  const reason = result.reason ?? delivery?.reason;
  io.stdout(
    `replayed ${id}: ${result.status}${reason ? ` (${reason})` : ''}${result.task_id ? `, task ${result.task_id}` : ''}\n`,
  );
}
