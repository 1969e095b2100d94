namespace IgLive.Service.Features.Videos.GetFeed;

/// <summary>
/// The page is chosen in a derived table first (videos_feed_idx, LIMIT n+1), and only then joined to profiles and
/// probed for liked_by_me: an EXISTS next to ORDER BY … LIMIT in one query level lets the planner pick a hashed
/// subplan over all likes (see reference/performance.md). First and later pages are separate statements so each
/// keeps its own prepared plan (an "@cursor IS NULL OR …" predicate would make the generic plan scan from the top).
/// Npgsql auto-prepares, so PostgreSQL may switch to a generic plan, which cannot see parameter values. Two shapes
/// keep that plan O(page) and cheap enough to be chosen (no planning per request, ~0.1 ms a page, docs/explain.md):
/// the inner LIMIT is the constant 51 (the largest limit + 1; a parameter there is assumed to be 10% of the table,
/// which made the generic plan hash-join all profiles and pay JIT compilation), while the outer LIMIT @Take stops
/// the nested loop (and the lazy index scan under it) after limit+1 rows; and the author comes from a LATERAL
/// subquery with OFFSET 0 (an optimisation fence), a primary-key probe per page row in every plan.
/// Visibility (<see cref="Visibility"/>) is applied where the page is chosen, inside the derived table, so a page is
/// never short: the row-local tests and the caller's block list (one InitPlan per statement) filter the index scan,
/// and the suspended-author test is a profiles_pkey probe per scanned row (cheaper than moving the author join inside,
/// which PostgreSQL memoizes: docs/benchmarks.md, "Visibility").
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
