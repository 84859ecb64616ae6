-- What each attempt at a task spent, keyed by the job's attempt number. A task that needed several
-- attempts costs the sum of them, and a worker may write the same attempt twice (the settle path
-- and the cancelled-usage record, a repeat after a crash): the key makes that one row, holding the
-- attempt's latest figures. tasks.input_tokens, output_tokens and cost_usd stay, as the sum of
-- these rows, kept by the repository in the same transaction (the monthly budget and the dashboard
-- read them). docs/pipeline.md, "Usage and budget".
CREATE TABLE task_attempt_usage (
  task_id        uuid          NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  attempt        integer       NOT NULL CHECK (attempt >= 1),
  input_tokens   bigint        NOT NULL DEFAULT 0,
  output_tokens  bigint        NOT NULL DEFAULT 0,
  cost_usd       numeric(12,6) NOT NULL DEFAULT 0,
  recorded_at    timestamptz   NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, attempt)
);

-- Usage recorded before this table existed belongs to the task's last attempt (only a final row
-- carried figures), so the sums start equal to today's totals.
INSERT INTO task_attempt_usage (task_id, attempt, input_tokens, output_tokens, cost_usd)
SELECT id, greatest(attempts, 1), input_tokens, output_tokens, cost_usd
FROM tasks
WHERE input_tokens <> 0 OR output_tokens <> 0 OR cost_usd <> 0;
