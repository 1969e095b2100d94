-- What arrives between two trending runs (run.sh, before the steady-state run): :likes new likes by random seeded
-- users on random live videos, :views counted views, through the write paths' tables (so the triggers queue deltas).
\timing on
INSERT INTO video_likes (video_id, user_id, created_at)
SELECT v.id, ('00000000-0000-4000-9000-' || lpad(to_hex(1 + (random() * 99999)::int), 12, '0'))::uuid, now()
FROM (SELECT id FROM videos TABLESAMPLE SYSTEM (1) WHERE expires_at > now() LIMIT :likes) v
ON CONFLICT DO NOTHING;
INSERT INTO video_views (video_id, viewer_key, last_counted_at)
SELECT v.id, 'bench-' || md5(random()::text), now()
FROM (SELECT id FROM videos TABLESAMPLE SYSTEM (1) WHERE expires_at > now() LIMIT :views) v;
SELECT count(*) AS queued_deltas FROM trending_deltas;
