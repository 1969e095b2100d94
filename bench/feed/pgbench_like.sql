-- pgbench baseline for the like toggle: LikeVideoSql.LockVideo + LikeVideoSql.Toggle in one transaction and one
-- round trip (a pipeline, as Npgsql sends the batch), random viewer 1..2000, random video among the 20,000 newest.
\set n random(1, 20000)
\set u random(1, 2000)
\startpipeline
BEGIN;
SELECT 1 FROM videos WHERE id = ('00000000-0000-4000-8000-' || lpad(to_hex((:n)::int), 12, '0'))::uuid AND expires_at > now() FOR NO KEY UPDATE;
WITH v AS (SELECT id FROM videos WHERE id = ('00000000-0000-4000-8000-' || lpad(to_hex((:n)::int), 12, '0'))::uuid AND expires_at > now()),
     del AS (DELETE FROM video_likes WHERE video_id = (SELECT id FROM v)
                                       AND user_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid RETURNING 1),
     ins AS (INSERT INTO video_likes (video_id, user_id, created_at)
             SELECT id, ('00000000-0000-4000-9000-' || lpad(to_hex((:u)::int), 12, '0'))::uuid, now() FROM v WHERE NOT EXISTS (SELECT 1 FROM del)
             ON CONFLICT (video_id, user_id) DO NOTHING RETURNING 1)
UPDATE videos SET likes_count = likes_count + (SELECT count(*) FROM ins) - (SELECT count(*) FROM del)
WHERE id = (SELECT id FROM v)
RETURNING NOT EXISTS (SELECT 1 FROM del) AS liked, likes_count;
COMMIT;
\endpipeline
