-- The social graph on top of bench/feed/seed.sql (100,000 users, 1,000,000 videos; run that first, then migrate):
-- 10,000,000 follows, skewed: users 1..20 are big accounts with ~50,000 followers each (1M follows), every other user
-- u follows 40 + (u*37 mod 101) ordinary accounts (mean ~90, so most ordinary accounts have 50-150 followers), and
-- user 1999 follows 2,000. The big accounts are past FollowUserSql.PullFrom, so they are pulled at read time.
-- Inboxes: INBOX_USERS (default 2,000: the users bench/feed/mint_tokens.py has tokens for, who are the ones the
-- benchmarks read) get every live video of their ordinary followees, as fan-out would have written them; the other
-- 98,000 users' inboxes are left empty to keep the seed small (a full one is ~85M rows). A reader's page touches only
-- its own inbox range, so its plan and buffers do not depend on the others.
-- Run: bench/feed/db.sh psql -v ON_ERROR_STOP=1 [-v inbox_users=N] -f bench/graph/seed.sql
\timing on
\if :{?inbox_users}
\else
\set inbox_users 2000
\endif
SET maintenance_work_mem = '1GB';
SET synchronous_commit = off;
TRUNCATE feed_inbox, feed_pull_authors, user_follows, user_mutes;

-- Load without indexes, then build them once (as bench/feed/seed.sql does).
ALTER TABLE user_follows DROP CONSTRAINT user_follows_pkey, DROP CONSTRAINT user_follows_follower_id_fkey,
                         DROP CONSTRAINT user_follows_followee_id_fkey;
DROP INDEX user_follows_followers_idx, user_follows_following_idx;
ALTER TABLE feed_inbox DROP CONSTRAINT feed_inbox_pkey, DROP CONSTRAINT feed_inbox_video_id_fkey,
                       DROP CONSTRAINT feed_inbox_user_id_fkey;
DROP INDEX feed_inbox_video_idx;

CREATE TEMP TABLE seed_clock AS SELECT max(created_at) + interval '1.3 seconds' AS t0 FROM videos;
CREATE FUNCTION pg_temp.uid(n bigint) RETURNS uuid IMMUTABLE LANGUAGE sql
    AS $$ SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid $$;

INSERT INTO user_follows (follower_id, followee_id, created_at)
SELECT pg_temp.uid(u), pg_temp.uid(c), t0 - (u % 5000) * interval '1 minute' - c * interval '1 second'
FROM generate_series(1, 20) c, generate_series(21, 100000) u, seed_clock
WHERE u % 2 = c % 2;

-- Ordinary follows: followee ((u*7919 + k*4729) mod 99980) + 21 is distinct for k < 99980 (4729 is prime to 99980).
INSERT INTO user_follows (follower_id, followee_id, created_at)
SELECT pg_temp.uid(u), pg_temp.uid(f), t0 - k * interval '17 minutes' - (u % 1000) * interval '1 second'
FROM generate_series(1, 100000) u
CROSS JOIN LATERAL generate_series(1, CASE WHEN u = 1999 THEN 2000 ELSE 40 + (u * 37) % 101 END) k
CROSS JOIN LATERAL (SELECT ((u::bigint * 7919 + k * 4729) % 99980) + 21 AS f) x
CROSS JOIN seed_clock
WHERE f <> u;

ALTER TABLE user_follows ADD PRIMARY KEY (follower_id, followee_id);
CREATE INDEX user_follows_followers_idx ON user_follows (followee_id, created_at DESC, follower_id DESC);
CREATE INDEX user_follows_following_idx ON user_follows (follower_id, created_at DESC, followee_id DESC);
ALTER TABLE user_follows ADD FOREIGN KEY (follower_id) REFERENCES profiles (id) ON DELETE CASCADE,
                         ADD FOREIGN KEY (followee_id) REFERENCES profiles (id) ON DELETE CASCADE;

UPDATE profiles p SET followers_count = COALESCE(a.n, 0), following_count = COALESCE(b.n, 0)
FROM profiles q
LEFT JOIN (SELECT followee_id AS id, count(*) AS n FROM user_follows GROUP BY 1) a ON a.id = q.id
LEFT JOIN (SELECT follower_id AS id, count(*) AS n FROM user_follows GROUP BY 1) b ON b.id = q.id
WHERE p.id = q.id;

INSERT INTO feed_pull_authors (user_id, since)
SELECT id, '-infinity' FROM profiles WHERE followers_count >= 5000;

INSERT INTO feed_inbox (user_id, created_at, video_id, author_id)
SELECT f.follower_id, v.created_at, v.id, v.user_id
FROM user_follows f
JOIN videos v ON v.user_id = f.followee_id
CROSS JOIN seed_clock
WHERE f.follower_id IN (SELECT pg_temp.uid(n) FROM generate_series(1, :inbox_users) n)
  AND v.expires_at > t0
  AND NOT EXISTS (SELECT 1 FROM feed_pull_authors pa WHERE pa.user_id = f.followee_id);

ALTER TABLE feed_inbox ADD PRIMARY KEY (user_id, created_at, video_id);
CREATE INDEX feed_inbox_video_idx ON feed_inbox (video_id);
ALTER TABLE feed_inbox ADD FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE,
                       ADD FOREIGN KEY (user_id) REFERENCES profiles (id) ON DELETE CASCADE;

VACUUM ANALYZE user_follows;
VACUUM ANALYZE feed_inbox;
VACUUM ANALYZE feed_pull_authors;
VACUUM ANALYZE profiles;
SELECT (SELECT count(*) FROM user_follows) AS follows, (SELECT count(*) FROM feed_inbox) AS inbox_rows,
       (SELECT count(*) FROM feed_pull_authors) AS pulled,
       (SELECT max(followers_count) FROM profiles) AS max_followers,
       (SELECT percentile_cont(ARRAY[0.05, 0.5, 0.95]) WITHIN GROUP (ORDER BY followers_count) FROM profiles WHERE followers_count < 5000) AS followers_p5_p50_p95,
       (SELECT following_count FROM profiles WHERE username = 'user1999') AS user1999_following,
       pg_size_pretty(pg_database_size(current_database())) AS size;
