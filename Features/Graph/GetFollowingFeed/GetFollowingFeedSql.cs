namespace IgLive.Service.Features.Graph.GetFollowingFeed;

/// <summary>
/// Fan-out on write with big accounts pulled (migration 0121, docs/explain.md "Following feed"). A page merges two
/// sources, each cut to the page (@Take rows) before the merge:
/// the push side, the caller's inbox read backwards from the cursor (feed_inbox_pkey, one index range), each row probed
/// for "still followed" (user_follows_pkey: unfollowed and blocked authors' rows stay in the inbox until their video
/// goes) and joined to its video (videos_pkey) with the visibility rule, all before the LIMIT so a page is never short;
/// and the pull side, one videos_user_feed_idx range per followed account that reached FollowUserSql.PullFrom
/// followers (feed_pull_authors, a few accounts; the follow probe per pulled account keeps it a loop over those, not
/// over the caller's follows). When the push side fills a page, nothing older than its last row can be on the page,
/// so each pull range also stops there (the floor): a pulled account then costs one index descent, not a page of
/// videos with their probes, unless it posted inside the page's time span. The OFFSET 0 fences keep every probe a
/// per-row subplan in generic plans.
/// So a page costs O(page + followed pulled accounts) while the inbox fills pages, and O(page × (1 + followed pulled
/// accounts)) at its end, whatever the number of accounts followed.
/// </summary>
internal static class GetFollowingFeedSql
{
    // What the page shows, and nothing more through the merge: SELECT v.* would carry search_doc (~280 bytes a row) too.
    private const string Columns = """
        v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type, v.size_bytes,
                   v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count, v.created_at,
                   v.expires_at, v.user_id
        """;

    private const string Push = $"""
        WITH push AS MATERIALIZED (
            SELECT {Columns} FROM feed_inbox i
            CROSS JOIN LATERAL (SELECT * FROM videos v
                                WHERE v.id = i.video_id AND {Visibility.Video} AND {Visibility.ActiveAuthorProbe} OFFSET 0) v
            WHERE i.user_id = @Viewer
              AND EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = @Viewer AND f.followee_id = i.author_id OFFSET 0)
        """;

    private const string PushTail = $"""

            ORDER BY i.created_at DESC, i.video_id DESC
            LIMIT @Take),
        -- the push side's last row when it filled the page (none otherwise): the floor of the pull ranges
        floor AS (SELECT created_at FROM push ORDER BY created_at DESC, id DESC OFFSET @Take - 1 LIMIT 1)
        SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
               v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
               EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = @Viewer) AS liked_by_me,
               v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
        FROM (
            (SELECT * FROM push)
            UNION ALL
            (SELECT {Columns} FROM feed_pull_authors pa
             CROSS JOIN LATERAL (SELECT * FROM videos v
                                 WHERE v.user_id = pa.user_id AND v.created_at >= pa.since
                                   AND v.created_at >= COALESCE((SELECT created_at FROM floor), '-infinity'::timestamptz)
        """;

    private const string Pull = $"""

                                   AND {Visibility.Video} AND {Visibility.ActiveAuthorProbe}
        """;

    private const string Tail = """

                                 ORDER BY v.created_at DESC, v.id DESC LIMIT @Take) v
             WHERE EXISTS (SELECT 1 FROM user_follows f WHERE f.follower_id = @Viewer AND f.followee_id = pa.user_id OFFSET 0)
               -- a video fanned out while its author was being marked pulled is already in the inbox
               AND NOT EXISTS (SELECT 1 FROM feed_inbox i WHERE i.user_id = @Viewer AND i.created_at = v.created_at
                                                         AND i.video_id = v.id OFFSET 0))
            ORDER BY created_at DESC, id DESC
            LIMIT @Take) v
        CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
        ORDER BY v.created_at DESC, v.id DESC
        LIMIT @Take
        """;

    private const string PushAfter = "\n      AND (i.created_at, i.video_id) < (@CursorAt, @CursorId)";
    private const string PullAfter = "\n                                   AND (v.created_at, v.id) < (@CursorAt, @CursorId)";

    // Newest visible followed videos + 1 (@Take = limit + 1), first page.
    public const string First = Push + PushTail + Pull + Tail;
    // Same after a cursor: both sides start at the (created_at, id) position.
    public const string Next = Push + PushAfter + PushTail + Pull + PullAfter + Tail;
}
