using IgLive.Service.Features.Notifications.Writer;

namespace IgLive.Service.Features.Graph.FollowUser;

/// <summary>
/// Sent after <see cref="Pairs.PairStatement.LockPair"/>. Each returns one row (self, blocked, following, followers_count, notified),
/// none for an unknown username. Counters move by the rows actually inserted or deleted, in the same statement.
/// The fifth column, <c>notified</c>, is the followee when their notification rows changed: the endpoint announces it
/// after the commit (no <c>pg_notify</c> in the statement; see <see cref="Events.Fanout.LiveAnnouncer"/>).
/// </summary>
internal static class FollowUserSql
{
    /// <summary>
    /// From this many followers on, an account's new videos are no longer fanned out to inboxes but read from its own
    /// index range by each follower (GetFollowingFeedSql's pull side): an upload never writes more rows than this.
    /// </summary>
    public const string PullFrom = "5000";

    private const string Target = "target AS (SELECT p.id, p.followers_count FROM profiles p WHERE lower(p.username) = lower(@Username))";

    // Follows (no-op when already following, yourself or across a block); bumps both counters; notifies the followee; back-fills the caller's
    // inbox with the followee's 100 newest live fanned-out videos; marks the followee pulled when it reaches PullFrom.
    // profiles_username_key, user_follows_pkey, profiles_pkey x2, videos_user_feed_idx, feed_inbox_pkey.
    public const string Follow = $"""
        WITH {Target},
             blocked AS (SELECT EXISTS (SELECT 1 FROM target t WHERE t.id {Visibility.BlockedWithViewer}) AS b),
             ins AS (INSERT INTO user_follows (follower_id, followee_id, created_at)
                     SELECT @Viewer, t.id, @Now FROM target t, blocked WHERE t.id <> @Viewer AND NOT blocked.b
                     ON CONFLICT DO NOTHING RETURNING followee_id),
             counted AS (UPDATE profiles p
                         SET followers_count = p.followers_count + CASE WHEN p.id = ins.followee_id THEN 1 ELSE 0 END,
                             following_count = p.following_count + CASE WHEN p.id = @Viewer THEN 1 ELSE 0 END
                         FROM ins WHERE p.id IN (ins.followee_id, @Viewer)
                         RETURNING p.id, p.followers_count),
             backfill AS (INSERT INTO feed_inbox (user_id, created_at, video_id, author_id)
                          SELECT @Viewer, v.created_at, v.id, v.user_id
                          FROM ins CROSS JOIN LATERAL (
                              SELECT v.created_at, v.id, v.user_id FROM videos v
                              WHERE v.user_id = ins.followee_id AND v.expires_at > @Now
                                AND NOT EXISTS (SELECT 1 FROM feed_pull_authors pa WHERE pa.user_id = v.user_id AND pa.since <= v.created_at)
                              ORDER BY v.created_at DESC, v.id DESC LIMIT 100) v
                          ON CONFLICT DO NOTHING),
             pulled AS (INSERT INTO feed_pull_authors (user_id, since)
                        SELECT c.id, @Now FROM counted c JOIN ins ON ins.followee_id = c.id
                        WHERE c.followers_count >= {PullFrom}
                        ON CONFLICT DO NOTHING),
        {NotificationWriterSql.Followed}
        SELECT t.id = @Viewer AS self, blocked.b AS blocked, t.id <> @Viewer AND NOT blocked.b AS following,
               COALESCE((SELECT c.followers_count FROM counted c WHERE c.id = t.id), t.followers_count) AS followers_count,
               (SELECT n.user_id FROM n) AS notified
        FROM target t, blocked
        """;

    // Unfollows (no-op when not following); both counters; withdraws the unread follow notification; the inbox rows stay and are filtered by the feed's follow
    // probe until their videos go. profiles_username_key, user_follows_pkey, profiles_pkey x2.
    public const string Unfollow = $"""
        WITH {Target},
             del AS (DELETE FROM user_follows f USING target t
                     WHERE f.follower_id = @Viewer AND f.followee_id = t.id RETURNING f.followee_id),
             counted AS (UPDATE profiles p
                         SET followers_count = p.followers_count - CASE WHEN p.id = del.followee_id THEN 1 ELSE 0 END,
                             following_count = p.following_count - CASE WHEN p.id = @Viewer THEN 1 ELSE 0 END
                         FROM del WHERE p.id IN (del.followee_id, @Viewer)
                         RETURNING p.id, p.followers_count),
        {NotificationWriterSql.Unfollowed}
        SELECT t.id = @Viewer AS self, false AS blocked, false AS following,
               COALESCE((SELECT c.followers_count FROM counted c WHERE c.id = t.id), t.followers_count) AS followers_count,
               (SELECT na.user_id FROM na LIMIT 1) AS notified
        FROM target t
        """;
}
