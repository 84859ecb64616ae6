-- Browser sessions for the dashboard and API: an admin who signed in with ADMIN_TOKEN, or a GitHub
-- user who signed in through OAuth. Only a SHA-256 hash of the cookie's token is stored.
CREATE TABLE sessions (
  token_hash      text        PRIMARY KEY,
  principal_kind  text        NOT NULL CHECK (principal_kind IN ('admin', 'user')),
  principal_id    text        NOT NULL,
  login           text        NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz
);
CREATE INDEX sessions_principal_idx ON sessions (principal_kind, principal_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
