-- Bot heartbeats: which worker served a bot last and whether it was answering a message then.
-- last_heartbeat_at (from 0001) is timestamptz, so it is stored in UTC; viewers show local time.
ALTER TABLE bots ADD COLUMN busy boolean NOT NULL DEFAULT false;
ALTER TABLE bots ADD COLUMN worker_id text;
