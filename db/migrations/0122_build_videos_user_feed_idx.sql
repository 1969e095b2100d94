-- migrate: no-transaction
-- A profile's videos newest first with a unique keyset (GET /api/users/{username}/videos, the following feed's pull
-- side), built without blocking video writes (moved here from 0120, see there). It serves everything videos_user_idx
-- did (same leading columns), so that one goes once this one is built. Both statements are no-ops where 0120 built
-- the index before it was moved.
CREATE INDEX CONCURRENTLY IF NOT EXISTS videos_user_feed_idx ON videos (user_id, created_at DESC, id DESC);
DROP INDEX CONCURRENTLY IF EXISTS videos_user_idx;
