-- GitHub App credentials, users who signed in with GitHub, and OAuth state. Every secret column
-- (*_enc) holds an AES-256-GCM envelope `v1.<key id>.<iv>.<tag>.<ciphertext>` whose additional
-- data is `<table>/<row id>/<column>`, so a value copied to another row or column fails to decrypt.

-- The app created through the manifest flow (one row). Operators who set GITHUB_APP_ID never use it.
CREATE TABLE github_app (
  id                  smallint    PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  app_id              text        NOT NULL,
  slug                text,
  html_url            text,
  client_id           text        NOT NULL,
  private_key_enc     text        NOT NULL,
  webhook_secret_enc  text        NOT NULL,
  client_secret_enc   text        NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE github_users (
  id                        bigint      PRIMARY KEY,       -- GitHub's user id
  login                     text        NOT NULL,
  access_token_enc          text,
  access_token_expires_at   timestamptz,
  refresh_token_enc         text,
  refresh_token_expires_at  timestamptz,
  tokens_updated_at         timestamptz,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);

-- Installations of our app that a user can see (GET /user/installations at sign-in).
CREATE TABLE github_user_installations (
  user_id               bigint      NOT NULL REFERENCES github_users (id) ON DELETE CASCADE,
  installation_id       bigint      NOT NULL,
  account_login         text        NOT NULL,
  account_type          text        NOT NULL,
  repository_selection  text        NOT NULL,
  recorded_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, installation_id)
);
CREATE INDEX github_user_installations_installation_idx ON github_user_installations (installation_id);

-- OAuth and manifest-flow state: single use (used_at), expiring. Only a hash of the state is kept.
CREATE TABLE oauth_states (
  state_hash         text        PRIMARY KEY,
  purpose            text        NOT NULL CHECK (purpose IN ('oauth', 'manifest')),
  code_verifier_enc  text        NOT NULL,
  redirect_url       text        NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  used_at            timestamptz
);
CREATE INDEX oauth_states_expires_idx ON oauth_states (expires_at);
