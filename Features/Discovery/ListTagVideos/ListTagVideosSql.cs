using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.ListTagVideos;

/// <summary>
/// video_tags keeps (tag, created_at, video_id) in index order, so the page is chosen in a derived table that walks
/// video_tags_pkey backward from the cursor and probes videos_pkey per row until the constant
/// <see cref="DiscoveryVideoSql.PageRows"/> visible ones are found (the GIN index on videos.tags can only return every
/// match unordered); then each row gets its author and, for a signed-in caller, liked_by_me. The feed's shape
/// (docs/benchmarks.md, "Feed query shapes"): O(page) for any tag size, and a generic plan as cheap as a custom one.
/// </summary>
internal static class ListTagVideosSql
{
    private const string From = """

        FROM (SELECT v.*, t.created_at AS tag_at, t.video_id AS tag_video_id
              FROM video_tags t
              CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
              WHERE t.tag = @Tag AND
        """ + DiscoveryVisibility.ForViewer;

    private const string After = "\n  AND (t.created_at, t.video_id) < (@CursorAt, @CursorId)";

    private const string Tail = """

              ORDER BY t.created_at DESC, t.video_id DESC
              LIMIT
        """ + " " + DiscoveryVideoSql.PageRows + ") v\n" + DiscoveryVideoSql.Author + """

        ORDER BY v.tag_at DESC, v.tag_video_id DESC
        LIMIT @Take
        """;

    // A tag's visible videos newest first, anonymous; video_tags_pkey backward, videos_pkey and profiles_pkey per row.
    public const string FirstAnonymous = DiscoveryVideoSql.ColumnsAnonymous + From + Tail;
    // Same, after a cursor (created_at, id).
    public const string NextAnonymous = DiscoveryVideoSql.ColumnsAnonymous + From + After + Tail;
    // A tag's visible videos with liked_by_me (video_likes_pkey per page row).
    public const string FirstForViewer = DiscoveryVideoSql.ColumnsForViewer + From + Tail;
    // Same, after a cursor.
    public const string NextForViewer = DiscoveryVideoSql.ColumnsForViewer + From + After + Tail;
}
