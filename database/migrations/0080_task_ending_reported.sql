-- Whether a task's ending has been told where its user looks (the tracking comment). The row is
-- settled first and the comment written after it, so a worker that dies in between (SIGKILL, OOM,
-- host loss) leaves a settled task whose comment still says "working", and no later attempt tells
-- it (the row is final). ending_reported_at stays null until someone wrote the final comment (or
-- the task has none to write); the workers' ending sweep (apps/worker/src/pipeline/ending-sweep.ts)
-- finishes the report from the row for tasks settled longer ago than its grace period.
-- docs/pipeline.md, "An ending nobody told".
ALTER TABLE tasks ADD COLUMN ending_reported_at timestamptz;

-- When the sweep may next take the task: set as a sweeper takes it, so two workers sweeping at
-- once never both take it, and it is the retry pace of a report that failed (GitHub down).
ALTER TABLE tasks ADD COLUMN ending_sweep_after timestamptz;

-- Tasks settled before this migration were reported by the code of their time (or never could
-- be): counted as reported, so the sweep never rewrites an old comment.
UPDATE tasks SET ending_reported_at = coalesce(finished_at, now())
WHERE status IN ('succeeded', 'failed', 'cancelled');

-- The sweep's question reads only the few unreported settled rows.
CREATE INDEX tasks_ending_unreported_idx ON tasks (finished_at)
  WHERE ending_reported_at IS NULL AND status IN ('succeeded', 'failed', 'cancelled');
