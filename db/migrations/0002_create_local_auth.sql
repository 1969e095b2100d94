-- Users, sessions and refresh tokens of the built-in issuer (Auth:Mode=Local). Supabase mode keeps
-- these in Supabase Auth and never touches these tables.
CREATE TABLE local_users (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL CHECK (char_length(email) <= 320),
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at timestamptz NULL
);
CREATE UNIQUE INDEX local_users_email_key ON local_users (lower(email));

-- One row per login; logout or refresh-token reuse revokes the whole session.
CREATE TABLE local_sessions (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES local_users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    refreshed_at timestamptz NULL,
    revoked_at  timestamptz NULL,
    revoked_reason text     NULL
);
CREATE INDEX local_sessions_user_idx ON local_sessions (user_id);

-- Refresh tokens are stored only as SHA-256 hashes. A token is single-use: using it sets used_at and
-- issues its child; presenting a used token again is reuse and revokes the session.
CREATE TABLE local_refresh_tokens (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  uuid        NOT NULL REFERENCES local_sessions (id) ON DELETE CASCADE,
    token_hash  bytea       NOT NULL,
    parent_id   bigint      NULL REFERENCES local_refresh_tokens (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    used_at     timestamptz NULL
);
CREATE UNIQUE INDEX local_refresh_tokens_hash_key ON local_refresh_tokens (token_hash);
CREATE INDEX local_refresh_tokens_session_idx ON local_refresh_tokens (session_id);
CREATE INDEX local_refresh_tokens_parent_idx ON local_refresh_tokens (parent_id);
