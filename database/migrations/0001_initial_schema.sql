-- agent-bot initial schema. Forward-only: never edit an applied migration; add a new numbered file.

CREATE TABLE installations (
  id                    bigserial PRIMARY KEY,
  provider              text        NOT NULL,
  external_id           text        NOT NULL,           -- GitHub installation id, Slack team id, ...
  account_login         text,
  account_type          text,
  repository_selection  text,                           -- all | selected
  repositories          jsonb       NOT NULL DEFAULT '[]'::jsonb,
  permissions           jsonb       NOT NULL DEFAULT '{}'::jsonb,
  events                jsonb       NOT NULL DEFAULT '[]'::jsonb,
  suspended_at          timestamptz,
  deleted_at            timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, external_id)
);

-- The durable inbox: every verified webhook is written here before it is acknowledged.
CREATE TABLE deliveries (
  id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  provider      text        NOT NULL,
  delivery_id   text        NOT NULL,                   -- X-GitHub-Delivery, Slack event_id, ...
  event         text        NOT NULL,
  action        text,
  status        text        NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'enqueued', 'ignored', 'failed')),
  reason        text,
  task_id       uuid,
  headers       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  body          text        NOT NULL,                   -- the exact bytes received, for replay
  attempts      integer     NOT NULL DEFAULT 0,
  received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz,
  UNIQUE (provider, delivery_id)
);
CREATE INDEX deliveries_received_at_idx ON deliveries (received_at DESC);
-- The reconciler scans what was stored but never enqueued.
CREATE INDEX deliveries_pending_idx ON deliveries (received_at) WHERE status = 'received';

CREATE TABLE bots (
  id                 text        PRIMARY KEY,           -- e.g. CLAUDE-CODE-001, shown whole
  name               text        NOT NULL,
  runner             text        NOT NULL,
  model              text,
  system_prompt      text        NOT NULL DEFAULT '',
  status             text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped')),
  last_heartbeat_at  timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at         timestamptz
);

CREATE TABLE tasks (
  id               uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
  kind             text          NOT NULL,
  status           text          NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  priority         smallint      NOT NULL DEFAULT 2 CHECK (priority BETWEEN 0 AND 3),
  source           text          NOT NULL,
  title            text,
  prompt           text          NOT NULL,
  repo             text,
  installation_id  text,
  requested_by     text,
  runner           text,
  model            text,
  bot_id           text          REFERENCES bots (id) ON DELETE SET NULL,
  delivery_id      uuid          REFERENCES deliveries (id) ON DELETE SET NULL,
  context          jsonb         NOT NULL DEFAULT '{}'::jsonb,
  attempts         integer       NOT NULL DEFAULT 0,
  input_tokens     bigint        NOT NULL DEFAULT 0,
  output_tokens    bigint        NOT NULL DEFAULT 0,
  cost_usd         numeric(12,6) NOT NULL DEFAULT 0,
  result           jsonb         NOT NULL DEFAULT '{}'::jsonb,
  error_code       text,
  error_message    text,
  created_at       timestamptz   NOT NULL DEFAULT now(),
  started_at       timestamptz,
  heartbeat_at     timestamptz,
  finished_at      timestamptz,
  duration_ms      integer
);
CREATE INDEX tasks_created_at_idx ON tasks (created_at DESC, id DESC);
CREATE INDEX tasks_status_idx ON tasks (status, created_at DESC);
CREATE INDEX tasks_repo_idx ON tasks (repo, created_at DESC) WHERE repo IS NOT NULL;
CREATE INDEX tasks_bot_idx ON tasks (bot_id, created_at DESC) WHERE bot_id IS NOT NULL;
CREATE INDEX tasks_running_heartbeat_idx ON tasks (heartbeat_at) WHERE status = 'running';
CREATE UNIQUE INDEX tasks_delivery_idx ON tasks (delivery_id) WHERE delivery_id IS NOT NULL;

ALTER TABLE deliveries ADD CONSTRAINT deliveries_task_fk FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE SET NULL;

-- The ordered log of a task; `id` orders it and lets a live stream resume without gaps.
CREATE TABLE task_events (
  id          bigserial   PRIMARY KEY,
  task_id     uuid        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  kind        text        NOT NULL,
  message     text        NOT NULL,
  data        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_events_task_idx ON task_events (task_id, id);

CREATE TABLE chat_messages (
  id          bigserial   PRIMARY KEY,
  bot_id      text        NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
  role        text        NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'error')),
  content     text        NOT NULL,
  task_id     uuid        REFERENCES tasks (id) ON DELETE SET NULL,
  author      text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_bot_idx ON chat_messages (bot_id, id);

-- Bot-to-bot messages.
CREATE TABLE bot_messages (
  id            bigserial   PRIMARY KEY,
  from_bot_id   text        REFERENCES bots (id) ON DELETE SET NULL,
  to_bot_id     text        NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
  priority      smallint    NOT NULL DEFAULT 2 CHECK (priority BETWEEN 0 AND 3),
  status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'expired', 'failed')),
  payload       jsonb       NOT NULL,
  attempts      integer     NOT NULL DEFAULT 0,
  expires_at    timestamptz,
  delivered_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bot_messages_pending_idx ON bot_messages (to_bot_id, priority, id) WHERE status = 'pending';
