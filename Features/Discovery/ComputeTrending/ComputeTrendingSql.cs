using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.ComputeTrending;

internal static class ComputeTrendingSql
{
    /// <summary>"trending" in ASCII: one run at a time across instances and callers (job, tests, CLI).</summary>
    public const long RunLockKey = 0x7472656e64696e67;

    // Serialises runs; held until the run's transaction ends.
    public const string Lock = "SELECT pg_advisory_xact_lock(@LockKey)";

    // Replaces both rankings (run inside one transaction, so readers see the old set or the new one, never a half): the video score is the sum of its recent events, each weighted (like 3, comment 5, view 1) and halved every
    // @HalfLifeSeconds of its age; the tags count visible videos uploaded in the last 24 h. Reads the window through
    // video_likes_created_idx, video_comments_created_idx, video_views_counted_idx and video_tags_created_idx.
    public const string Run = """
        DELETE FROM trending_videos;
        INSERT INTO trending_videos (video_id, score, computed_at)
        SELECT e.video_id, sum(e.weight * exp(-ln(2) * extract(epoch FROM @Now - e.at) / @HalfLifeSeconds)), @Now
        FROM (SELECT video_id, 3.0 AS weight, created_at AS at FROM video_likes WHERE created_at > @Since AND created_at <= @Now
              UNION ALL
              SELECT video_id, 5.0, created_at FROM video_comments WHERE created_at > @Since AND created_at <= @Now
              UNION ALL
              SELECT video_id, 1.0, last_counted_at FROM video_views WHERE last_counted_at > @Since AND last_counted_at <= @Now) e
        JOIN videos v ON v.id = e.video_id
        WHERE
        """ + DiscoveryVisibility.Public + """

        GROUP BY e.video_id
        ORDER BY 2 DESC, e.video_id DESC
        LIMIT @Size;
        DELETE FROM trending_tags;
        INSERT INTO trending_tags (tag, videos_count, computed_at)
        SELECT t.tag, count(*), @Now
        FROM video_tags t JOIN videos v ON v.id = t.video_id
        WHERE t.created_at > @Now - interval '24 hours' AND t.created_at <= @Now AND
        """ + DiscoveryVisibility.Public + """

        GROUP BY t.tag
        ORDER BY count(*) DESC, t.tag
        LIMIT 50;
        """;

    // Sizes of the rankings just written (for the log).
    public const string Counts = "SELECT (SELECT count(*) FROM trending_videos), (SELECT count(*) FROM trending_tags)";
}
