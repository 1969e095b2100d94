using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.TrendingVideos;

/// <summary>
/// The feed's shape (docs/benchmarks.md, "Feed query shapes"): the page is chosen in a derived table that walks
/// trending_videos_rank_idx from the cursor, probes videos_pkey per row and drops rows that stopped being visible since
/// the last run (expired, removed, blocked, author suspended), up to the constant <see cref="DiscoveryVideoSql.PageRows"/>;
/// then each row gets its author (profiles_pkey) and, for a signed-in caller, liked_by_me: O(page), and a generic plan
/// as cheap as a custom one. The cursor's created_at is unused; (score, id) is the key. A run between two pages
/// re-ranks, so a video may then appear twice or be skipped across that boundary.
/// </summary>
internal static class TrendingVideosSql
{
    private const string From = """
        , v.score
        FROM (SELECT v.*, t.score, t.video_id AS rank_id
              FROM trending_videos t
              CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = t.video_id OFFSET 0) v
              WHERE
        """ + DiscoveryVisibility.ForViewer;

    private const string After = "\n  AND (t.score, t.video_id) < (@CursorScore, @CursorId)";

    private const string Tail = """

              ORDER BY t.score DESC, t.video_id DESC
              LIMIT
        """ + " " + DiscoveryVideoSql.PageRows + ") v\n" + DiscoveryVideoSql.Author + """

        ORDER BY v.score DESC, v.rank_id DESC
        LIMIT @Take
        """;

    // The ranking's first visible videos, anonymous; trending_videos_rank_idx, videos_pkey, profiles_pkey per row.
    public const string FirstAnonymous = DiscoveryVideoSql.ColumnsAnonymous + From + Tail;
    // Same, after a cursor (score, id).
    public const string NextAnonymous = DiscoveryVideoSql.ColumnsAnonymous + From + After + Tail;
    // The ranking's first visible videos with liked_by_me (video_likes_pkey per page row).
    public const string FirstForViewer = DiscoveryVideoSql.ColumnsForViewer + From + Tail;
    // Same, after a cursor.
    public const string NextForViewer = DiscoveryVideoSql.ColumnsForViewer + From + After + Tail;
}
