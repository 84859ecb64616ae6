import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, localTime } from '../lib/api.js';
import { linkHandler } from '../lib/router.js';
import type { DeliveryView } from '../lib/types.js';

function prettyPayload(delivery: DeliveryView): string {
  if (delivery.payload !== undefined) return JSON.stringify(delivery.payload, null, 2);
  if (delivery.body === undefined) return '(no payload stored)';
  try {
    return JSON.stringify(JSON.parse(delivery.body), null, 2);
  } catch {
    return delivery.body;
  }
}

export function DeliveriesPage(props: { isAdmin: boolean }) {
  const [deliveries, setDeliveries] = useState<DeliveryView[] | null>(null);
  const [selected, setSelected] = useState<DeliveryView | null>(null);
  const [notice, setNotice] = useState<{ text: string; taskId?: string; kind: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    api<{ deliveries: DeliveryView[] }>('GET', '/api/deliveries').then(
      (result) => setDeliveries(result.deliveries),
      (caught: Error) =>
        setError(
          caught instanceof ApiError && caught.status === 404
            ? 'This gateway has no deliveries API yet (GET /api/deliveries answered 404).'
            : caught.message,
        ),
    );
  useEffect(() => {
    void load();
  }, []);

  const open = async (id: string) => {
    setNotice(null);
    try {
      const result = await api<{ delivery: DeliveryView }>('GET', `/api/deliveries/${id}`);
      setSelected(result.delivery);
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const replay = async () => {
    if (!selected) return;
    setError(null);
    try {
      // The gateway answers { result: { status, task_id, task_status, reason, hint }, delivery }.
      const answer = await api<{
        delivery: DeliveryView | null;
        result?: { status: string; task_id: string | null; task_status?: string | null; reason: string | null };
      }>('POST', `/api/deliveries/${selected.id}/replay`);
      const status = answer.result?.status ?? answer.delivery?.status ?? 'unknown';
      const taskId = answer.result?.task_id ?? answer.delivery?.task_id ?? undefined;
      const reason = answer.result?.reason ?? answer.delivery?.reason;
      if (answer.delivery) setSelected({ ...selected, ...answer.delivery });
      setNotice(
        status === 'already_ran'
          ? {
              // The delivery's one task is not run again: say so, and where to run it again.
              text:
                answer.result?.task_status === 'running'
                  ? `Not run again: task ${taskId} is still running (a replay never runs a delivery's task twice).`
                  : `Not run again: task ${taskId} already ran (${answer.result?.task_status}). To run it again, open the task and press Retry.`,
              taskId: taskId ?? undefined,
              kind: 'already_ran',
            }
          : {
              text: `Replayed: ${status}${taskId ? `, task ${taskId}` : ''}${reason ? ` (${reason})` : ''}`,
              taskId: taskId ?? undefined,
              kind: status,
            },
      );
      await load();
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  return (
    <section>
      <h1>Deliveries</h1>
      <p class="legend">
        Every verified webhook, newest first. Select one to see its payload{props.isAdmin ? ' and replay it' : ''}.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="split">
        {deliveries && (
          <div class="table-scroll">
            <table class="deliveries" data-testid="delivery-list">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Event</th>
                  <th>Reason</th>
                  <th>Received (your time)</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.length === 0 && (
                  <tr>
                    <td colSpan={4}>No deliveries yet.</td>
                  </tr>
                )}
                {deliveries.map((delivery) => (
                  <tr
                    key={delivery.id}
                    data-delivery={delivery.id}
                    class={selected?.id === delivery.id ? 'selected' : ''}
                    onClick={() => open(delivery.id)}
                    tabIndex={0}
                    onKeyDown={(event) => event.key === 'Enter' && open(delivery.id)}
                  >
                    <td>
                      <span class={`delivery-status delivery-${delivery.status}`}>{delivery.status}</span>
                    </td>
                    <td>
                      {delivery.provider} {delivery.event}
                      {delivery.action ? `.${delivery.action}` : ''}
                    </td>
                    <td>{delivery.reason ?? '—'}</td>
                    <td>{localTime(delivery.received_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {selected && (
          <div class="card payload" data-testid="delivery-detail">
            <h2>
              {selected.provider} {selected.event} <small>{selected.delivery_id}</small>
            </h2>
            <p>
              Status <strong data-testid="delivery-status">{selected.status}</strong>
              {selected.reason ? ` (${selected.reason})` : ''}
              {selected.task_id && (
                <>
                  {' · task '}
                  <a href={`/tasks/${selected.task_id}`} onClick={linkHandler(`/tasks/${selected.task_id}`)}>
                    {selected.task_id}
                  </a>
                </>
              )}
            </p>
            {props.isAdmin && (
              <button type="button" onClick={replay} data-shortcut="r">
                Replay (r)
              </button>
            )}
            {notice && (
              <p class="notice" role="status" data-testid="replay-result" data-kind={notice.kind}>
                {notice.text}
                {notice.taskId && (
                  <>
                    {' '}
                    <a href={`/tasks/${notice.taskId}`} onClick={linkHandler(`/tasks/${notice.taskId}`)}>
                      open task
                    </a>
                  </>
                )}
              </p>
            )}
            <pre data-testid="payload">{prettyPayload(selected)}</pre>
          </div>
        )}
      </div>
    </section>
  );
}
