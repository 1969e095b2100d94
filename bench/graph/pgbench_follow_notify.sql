-- DIAGNOSTIC variant of pgbench_follow_bare.sql (the old hand copy, no notification rows): the same statements plus the
-- pg_notify the service's statements sent before branch m moved it after the commit, to see what a NOTIFY at commit costs.
-- pgbench baseline for the follow toggle: PairStatement.LockPair, then FollowUserSql.Follow or Unfollow (half each),
-- in one transaction and one round trip (a pipeline, as Npgsql sends the batch); random viewer 1..2000, random
-- ordinary account 21..100000.
\set a random(1, 2000)
\set b random(21, 100000)
\set op random(0, 1)
\startpipeline
BEGIN;
SELECT 1 FROM profiles WHERE id = ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid OR lower(username) = lower('user' || :b) ORDER BY id FOR NO KEY UPDATE;
\if :op = 1
WITH target AS (SELECT p.id, p.followers_count FROM profiles p WHERE lower(p.username) = lower('user' || :b)),
     blocked AS (SELECT EXISTS (SELECT 1 FROM target t WHERE t.id = ANY (ARRAY(
         SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid
         UNION ALL SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid))) AS b),
     ins AS (INSERT INTO user_follows (follower_id, followee_id, created_at)
             SELECT ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid, t.id, now() FROM target t, blocked
             WHERE t.id <> ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid AND NOT blocked.b
             ON CONFLICT DO NOTHING RETURNING followee_id),
     counted AS (UPDATE profiles p
                 SET followers_count = p.followers_count + CASE WHEN p.id = ins.followee_id THEN 1 ELSE 0 END,
                     following_count = p.following_count + CASE WHEN p.id = ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid THEN 1 ELSE 0 END
                 FROM ins WHERE p.id IN (ins.followee_id, ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid)
                 RETURNING p.id, p.followers_count),
     backfill AS (INSERT INTO feed_inbox (user_id, created_at, video_id, author_id)
                  SELECT ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid, v.created_at, v.id, v.user_id
                  FROM ins CROSS JOIN LATERAL (
                      SELECT v.created_at, v.id, v.user_id FROM videos v
                      WHERE v.user_id = ins.followee_id AND v.expires_at > now()
                        AND NOT EXISTS (SELECT 1 FROM feed_pull_authors pa WHERE pa.user_id = v.user_id AND pa.since <= v.created_at)
                      ORDER BY v.created_at DESC, v.id DESC LIMIT 100) v
                  ON CONFLICT DO NOTHING),
     pulled AS (INSERT INTO feed_pull_authors (user_id, since)
                SELECT c.id, now() FROM counted c JOIN ins ON ins.followee_id = c.id
                WHERE c.followers_count >= 5000
                ON CONFLICT DO NOTHING)
SELECT t.id = ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid AS self, blocked.b AS blocked,
       COALESCE((SELECT c.followers_count FROM counted c WHERE c.id = t.id), t.followers_count) AS followers_count,
       (SELECT pg_notify('iglive_events', 'n:' || ins.followee_id::text) FROM ins)
FROM target t, blocked;
\else
WITH target AS (SELECT p.id, p.followers_count FROM profiles p WHERE lower(p.username) = lower('user' || :b)),
     del AS (DELETE FROM user_follows f USING target t
             WHERE f.follower_id = ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid AND f.followee_id = t.id RETURNING f.followee_id),
     counted AS (UPDATE profiles p
                 SET followers_count = p.followers_count - CASE WHEN p.id = del.followee_id THEN 1 ELSE 0 END,
                     following_count = p.following_count - CASE WHEN p.id = ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid THEN 1 ELSE 0 END
                 FROM del WHERE p.id IN (del.followee_id, ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid)
                 RETURNING p.id, p.followers_count)
SELECT t.id = ('00000000-0000-4000-9000-' || lpad(to_hex((:a)::int), 12, '0'))::uuid AS self,
       COALESCE((SELECT c.followers_count FROM counted c WHERE c.id = t.id), t.followers_count) AS followers_count,
       (SELECT pg_notify('iglive_events', 'n:' || del.followee_id::text) FROM del)
FROM target t;
\endif
COMMIT;
\endpipeline
