namespace IgLive.Service.Features.GetFeed;

/// <summary>
/// The page is chosen in a derived table first (videos_feed_idx, LIMIT n+1), and only then joined to profiles and
/// probed for liked_by_me: an EXISTS next to ORDER BY … LIMIT in one query level lets the planner pick a hashed
/// subplan over all likes (see reference/performance.md). First and later pages are separate statements so each
/// keeps its own prepared plan (an "@cursor IS NULL OR …" predicate would make the generic plan scan from the top).
/// The author comes from a LATERAL subquery with OFFSET 0 (an optimisation fence): Npgsql auto-prepares, and a
/// generic plan cannot see the LIMIT's value, assumes 10% of the videos and hash-joins all 100k profiles (20 ms
/// instead of 0.2 ms, docs/explain.md); the fence keeps it a primary-key probe per page row in every plan.
/// </summary>
internal static class GetFeedSql
{
    private const string Select = """
        SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
               v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
        """;

    private const string Anonymous = "NULL::boolean AS liked_by_me,";
    private const string ForViewer = "EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = @ViewerId) AS liked_by_me,";

    private const string Author = """
               v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
        FROM (SELECT * FROM videos
              WHERE expires_at > @Now
        """;

    private const string After = "  AND (created_at, id) < (@CursorAt, @CursorId)";

    private const string Tail = """
              ORDER BY created_at DESC, id DESC
              LIMIT @Take) v
        CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
        ORDER BY v.created_at DESC, v.id DESC
        """;

    // Newest live videos, anonymous, first page; videos_feed_idx backward from the top, profiles_pkey per row.
    public const string FirstAnonymous = Select + Anonymous + Author + Tail;
    // Same, after a cursor; videos_feed_idx from the cursor position.
    public const string NextAnonymous = Select + Anonymous + Author + After + Tail;
    // Newest live videos with liked_by_me, first page; videos_feed_idx, profiles_pkey, video_likes_pkey per row.
    public const string FirstForViewer = Select + ForViewer + Author + Tail;
    // Same, after a cursor.
    public const string NextForViewer = Select + ForViewer + Author + After + Tail;
}
