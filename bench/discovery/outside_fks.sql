-- bench/feed/seed.sql drops and restores the constraints of its own tables only; foreign keys from newer tables
-- (user_blocks, video_tags, trending_videos, …) onto them would block that. Run with -v mode=drop before it (saves and
-- drops them, into bench_saved_fks) and -v mode=restore after (re-adds them).
\if :{?mode}
\else
\set mode drop
\endif
SELECT :'mode' = 'drop' AS dropping \gset
\if :dropping
DROP TABLE IF EXISTS bench_saved_fks;
CREATE TABLE bench_saved_fks AS
SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
FROM pg_constraint
WHERE contype = 'f'
  AND confrelid::regclass::text IN ('profiles', 'videos', 'video_likes', 'video_comments', 'video_views')
  AND conrelid::regclass::text NOT IN ('profiles', 'videos', 'video_likes', 'video_comments', 'video_views');
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM bench_saved_fks LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
END $$;
\else
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM bench_saved_fks LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);
  END LOOP;
END $$;
DROP TABLE bench_saved_fks;
\endif
