-- Which tasks were handed to the queue. A task row is written before it is queued, so a task
-- stored while Redis was down has enqueued_at NULL and the gateway's reconciler queues it later.
ALTER TABLE tasks ADD COLUMN enqueued_at timestamptz;
-- Existing rows predate the ledger; treat them as queued so the reconciler does not replay history.
UPDATE tasks SET enqueued_at = created_at;
CREATE INDEX tasks_unenqueued_idx ON tasks (created_at) WHERE status = 'queued' AND enqueued_at IS NULL;
