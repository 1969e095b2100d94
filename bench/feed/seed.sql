-- Fills a migrated IgLive database with 100,000 profiles, 1,000,000 videos, 10,000,000 likes and 200,000
-- comments, set-based.
-- Run: bench/feed/db.sh psql -v ON_ERROR_STOP=1 -f bench/feed/seed.sql   (empties those tables first)
-- Ids are derived from integers so load scripts can address rows without a lookup:
--   user n  = 00000000-0000-4000-9000-%012x,  video n = 00000000-0000-4000-8000-%012x  (n from 1).
-- Video n was created n * 1.3 s before the seeding started, so the newest is video 1 and the oldest ~7% have
-- expired (older than 14 days) — the feed must skip them. User u likes the 100 distinct videos
-- ((u*7919 + k*10007) mod 1e6) + 1, k = 1..100; likes_count is computed from those rows.
DO $$ BEGIN
    IF to_regclass('public.videos') IS NULL THEN
        RAISE EXCEPTION 'the schema is missing: run bench/feed/db.sh migrate first';
    END IF;
END $$;
\timing on
SET maintenance_work_mem = '1GB';
SET synchronous_commit = off;

TRUNCATE video_views, video_comments, video_likes, videos, profiles CASCADE;

-- Keep every constraint/index definition of the loaded tables, drop them, load, then recreate:
-- building indexes once over sorted data is much cheaper than maintaining them row by row.
CREATE TEMP TABLE saved_constraints AS
SELECT conrelid::regclass::text AS tbl, conname, contype, pg_get_constraintdef(oid) AS def
FROM pg_constraint
WHERE (conrelid::regclass::text IN ('profiles', 'videos', 'video_likes', 'video_comments', 'video_views')
       AND contype IN ('p', 'f', 'u'))
   -- foreign keys of other tables (user_blocks, follows, notifications → video_comments, …) that point at a
   -- loaded table's primary key
   OR (contype = 'f' AND confrelid::regclass::text IN ('profiles', 'videos', 'video_likes', 'video_comments', 'video_views'));
CREATE TEMP TABLE saved_indexes AS
SELECT pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid::regclass::text IN ('profiles', 'videos', 'video_likes')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'));

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM saved_constraints ORDER BY contype = 'f' DESC LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
  FOR r IN SELECT i.indexrelid::regclass::text AS name FROM pg_index i
           WHERE i.indrelid::regclass::text IN ('profiles', 'videos', 'video_likes') LOOP
    EXECUTE format('DROP INDEX %s', r.name);
  END LOOP;
END $$;

CREATE TEMP TABLE seed_clock AS SELECT date_trunc('second', now()) AS t0;

INSERT INTO profiles (id, username, display_name, created_at, updated_at)
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid, 'user' || n, 'User ' || n, t0, t0
FROM generate_series(1, 100000) n, seed_clock;

INSERT INTO video_likes (video_id, user_id, created_at)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(((u::bigint * 7919 + k * 10007) % 1000000) + 1), 12, '0'))::uuid,
       ('00000000-0000-4000-9000-' || lpad(to_hex(u), 12, '0'))::uuid, t0
FROM generate_series(1, 100000) u, generate_series(1, 100) k, seed_clock;

INSERT INTO videos (id, user_id, title, description, tags, storage_provider, storage_key, storage_path, video_url,
                    thumbnail_url, content_type, size_bytes, duration_seconds, width, height, views_count,
                    likes_count, comments_count, created_at, expires_at)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('00000000-0000-4000-9000-' || lpad(to_hex((n % 100000) + 1), 12, '0'))::uuid,
       'Video number ' || n, 'A seeded video for the feed benchmark.', ARRAY['bench', 'tag' || (n % 50)],
       'local', 'bench/' || n || '.mp4', 'bench/' || n || '.mp4', '/media/bench/' || n || '.mp4',
       '/media/bench/' || n || '.jpg', 'video/mp4', 1000000 + n, 15.5, 720, 1280, n % 1000,
       COALESCE(l.c, 0), 0,
       t0 - n * interval '1.3 seconds', t0 - n * interval '1.3 seconds' + interval '14 days'
FROM generate_series(1, 1000000) n
CROSS JOIN seed_clock
LEFT JOIN (SELECT ((u::bigint * 7919 + k * 10007) % 1000000) + 1 AS n, count(*) AS c
           FROM generate_series(1, 100000) u, generate_series(1, 100) k GROUP BY 1) l USING (n);

-- 200,000 comments: 200 on each of the 1,000 newest videos (video n has comments_count = 200 for n <= 1000).
INSERT INTO video_comments (id, video_id, user_id, text, created_at)
SELECT ('00000000-0000-4000-a000-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex((n % 1000) + 1), 12, '0'))::uuid,
       ('00000000-0000-4000-9000-' || lpad(to_hex((n % 100000) + 1), 12, '0'))::uuid,
       'Seeded comment ' || n, t0 - n * interval '10 milliseconds'
FROM generate_series(1, 200000) n, seed_clock;
UPDATE videos SET comments_count = 200
WHERE id IN (SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid FROM generate_series(1, 1000) n);

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM saved_constraints WHERE contype <> 'f' LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);
  END LOOP;
  FOR r IN SELECT * FROM saved_indexes LOOP
    EXECUTE r.def;
  END LOOP;
  FOR r IN SELECT * FROM saved_constraints WHERE contype = 'f' LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);
  END LOOP;
END $$;

VACUUM ANALYZE profiles;
VACUUM ANALYZE videos;
VACUUM ANALYZE video_likes;
VACUUM ANALYZE video_comments;
SELECT (SELECT count(*) FROM profiles) AS profiles, (SELECT count(*) FROM videos) AS videos,
       (SELECT count(*) FROM video_likes) AS likes, (SELECT sum(likes_count) FROM videos) AS likes_counted,
       pg_size_pretty(pg_database_size(current_database())) AS size;
