-- The local auth server speaks Supabase Auth's protocol (/auth/v1): users carry user_metadata (sign-up `data`,
-- PUT /user `data`) and an updated_at, as GoTrue's auth.users rows do.
ALTER TABLE local_users
    ADD COLUMN user_metadata jsonb       NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN updated_at    timestamptz NULL;
UPDATE local_users SET updated_at = created_at;
ALTER TABLE local_users ALTER COLUMN updated_at SET NOT NULL, ALTER COLUMN updated_at SET DEFAULT now();
