-- When each run was first recorded. recorded_at moves with every write of a run (its running
-- figures, then its verdict), so it cannot say which of two runs of the same attempt came first;
-- the task's runs are listed (API, dashboard, CLI) by attempt and then by this. Rows from before
-- it existed take their last write as the best known, which orders them right in practice: a run
-- taken over stopped being written when its worker died. docs/pipeline.md, "Usage and budget".
ALTER TABLE task_attempt_usage ADD COLUMN first_recorded_at timestamptz;
UPDATE task_attempt_usage SET first_recorded_at = recorded_at;
ALTER TABLE task_attempt_usage ALTER COLUMN first_recorded_at SET DEFAULT now();
ALTER TABLE task_attempt_usage ALTER COLUMN first_recorded_at SET NOT NULL;
