-- Public profile of every user who ever authenticated (local or Supabase). The id is the JWT `sub`;
-- in Supabase mode there is no local user row to reference, so no foreign key to an auth table.
CREATE TABLE profiles (
    id           uuid        PRIMARY KEY,
    username     text        NOT NULL CHECK (username ~ '^[a-z0-9_.]{3,30}$'),
    display_name text        NULL CHECK (char_length(display_name) <= 100),
    avatar_url   text        NULL CHECK (char_length(avatar_url) <= 2048),
    bio          text        NULL CHECK (char_length(bio) <= 500),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Usernames are unique regardless of case (the pattern is lower case, the index makes it a rule).
CREATE UNIQUE INDEX profiles_username_key ON profiles (lower(username));
