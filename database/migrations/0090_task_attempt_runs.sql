-- Each execution of an attempt keeps its own usage row. A job taken over after its worker died
-- (SIGKILL, OOM) runs again under the same BullMQ attempt number (a stalled-job takeover does not
-- count as an attempt), so keyed by (task, attempt) the second worker's figures replaced the dead
-- worker's and its spend was lost. run_id is generated per execution by the worker; rows written
-- before it existed (one execution per attempt as far as anyone knew) keep ''. A repeated write by
-- the same execution (its running figures, then its verdict) is still one row, counted once.
-- docs/pipeline.md, "Usage and budget".
ALTER TABLE task_attempt_usage ADD COLUMN run_id text NOT NULL DEFAULT '' CHECK (length(run_id) <= 64);
ALTER TABLE task_attempt_usage DROP CONSTRAINT task_attempt_usage_pkey;
ALTER TABLE task_attempt_usage ADD PRIMARY KEY (task_id, attempt, run_id);
