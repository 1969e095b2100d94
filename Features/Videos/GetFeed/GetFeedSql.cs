namespace IgLive.Service.Features.Videos.GetFeed;

/// <summary>
/// The page is chosen in a derived table (videos_feed_idx, constant inner LIMIT 51, visibility applied there so a page
/// is never short), then each row gets its author through a LATERAL OFFSET 0 primary-key probe and liked_by_me: this
/// keeps Npgsql's auto-prepared generic plans O(page). First and later pages are separate statements so each keeps its
/// own plan. Why each shape, with the measurements: docs/benchmarks.md, "Feed query shapes".
/// </summary>
internal static class GetFeedSql
{
    private const string Select = """
        SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
               v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
        """;

    private const string Anonymous = "NULL::boolean AS liked_by_me,";
    private const string ForViewer = "EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = @Viewer) AS liked_by_me,";

    private const string Author = $"""
               v.created_at, v.expires_at, v.status, v.failure_reason, p.id, p.username, p.display_name, p.avatar_url
        FROM (SELECT * FROM videos v
              WHERE {Visibility.Video}
                AND {Visibility.ActiveAuthorProbe}
        """;

    private const string After = "\n  AND (v.created_at, v.id) < (@CursorAt, @CursorId)";

    private const string Tail = """

              ORDER BY v.created_at DESC, v.id DESC
              LIMIT 51) v
        CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p
        ORDER BY v.created_at DESC, v.id DESC
        LIMIT @Take
        """;

    // Newest visible videos, anonymous, first page; videos_feed_idx backward from the top, profiles_pkey per row.
    public const string FirstAnonymous = Select + Anonymous + Author + Tail;
    // Same, after a cursor; videos_feed_idx from the cursor position.
    public const string NextAnonymous = Select + Anonymous + Author + After + Tail;
    // Newest visible videos with liked_by_me, first page; videos_feed_idx, profiles_pkey, video_likes_pkey per row.
    public const string FirstForViewer = Select + ForViewer + Author + Tail;
    // Same, after a cursor.
    public const string NextForViewer = Select + ForViewer + Author + After + Tail;
}
