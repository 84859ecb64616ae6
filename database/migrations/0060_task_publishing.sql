-- When a task's result started to leave the system (branch push, pull request, replies, final
-- comment): the pipeline's point of no return. A cancel is refused from then on, so a task never
-- says cancelled while its branch or pull request exists (docs/pipeline.md, "Cancel"). Kept across
-- retries of the task: an earlier attempt may already have pushed.
ALTER TABLE tasks ADD COLUMN publishing_at timestamptz;
