using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.ComputeTrending;

internal static class ComputeTrendingSql
{
    /// <summary>"trending" in ASCII: one run at a time across instances and callers (job, tests, CLI).</summary>
    public const long RunLockKey = 0x7472656e64696e67;

    // Serialises runs; held until the run's transaction ends.
    public const string Lock = "SELECT pg_advisory_xact_lock(@LockKey)";

    // 2^((bucket middle - epoch) / half-life): a bucket's weight relative to the epoch of trending_state (migration 0191).
    private const string Weight = "power(2::float8, extract(epoch FROM b.hour + interval '30 minutes' - (SELECT epoch FROM trending_state)) / @HalfLifeSeconds)";

    // One run, inside one transaction (readers see the old rankings or the new ones, never a half). Work is bounded by
    // what happened since the last run: (1) the queued deltas of videos that still exist and of buckets inside the
    // window are folded into trending_hourly and trending_scores; (2) buckets that left the window are subtracted and
    // deleted, scores without a bucket left are deleted; (3) once the epoch is 64 half-lives old, scores are rescaled
    // to a new one; (4) the @Size best visible videos are published with their score decayed to @Now
    // (trending_scores_rank_idx walk, videos_pkey and profiles_pkey probes). Trending tags count visible videos
    // uploaded in the last 24 h (video_tags_created_idx).
    public const string Run = """
        WITH d AS (DELETE FROM trending_deltas RETURNING video_id, hour, units),
        a AS (SELECT d.video_id, d.hour, sum(d.units) AS units FROM d
              WHERE d.hour > @Since - interval '1 hour' AND EXISTS (SELECT 1 FROM videos v WHERE v.id = d.video_id)
              GROUP BY 1, 2),
        h AS (INSERT INTO trending_hourly AS t (video_id, hour, units) SELECT video_id, hour, units FROM a
              ON CONFLICT (video_id, hour) DO UPDATE SET units = t.units + EXCLUDED.units)
        INSERT INTO trending_scores AS s (video_id, score, last_hour)
        SELECT b.video_id, sum(b.units * 
        """ + Weight + """
        ), max(b.hour) FROM a b GROUP BY b.video_id
        ON CONFLICT (video_id) DO UPDATE SET score = s.score + EXCLUDED.score, last_hour = greatest(s.last_hour, EXCLUDED.last_hour);
        WITH x AS (DELETE FROM trending_hourly t WHERE t.hour <= @Since - interval '1 hour' RETURNING video_id, hour, units)
        UPDATE trending_scores s SET score = s.score - e.score
        FROM (SELECT b.video_id, sum(b.units * 
        """ + Weight + """
        ) AS score FROM x b GROUP BY b.video_id) e
        WHERE s.video_id = e.video_id;
        DELETE FROM trending_scores WHERE last_hour <= @Since - interval '1 hour';
        UPDATE trending_scores s SET score = s.score * power(2::float8, -extract(epoch FROM @Epoch - st.epoch) / @HalfLifeSeconds)
        FROM trending_state st WHERE st.epoch < @Epoch - @HalfLifeSeconds * 64 * interval '1 second';
        UPDATE trending_state SET epoch = @Epoch WHERE epoch < @Epoch - @HalfLifeSeconds * 64 * interval '1 second';
        DELETE FROM trending_videos;
        INSERT INTO trending_videos (video_id, score, computed_at)
        SELECT s.video_id, s.score * power(2::float8, -extract(epoch FROM @Now - (SELECT epoch FROM trending_state)) / @HalfLifeSeconds), @Now
        FROM trending_scores s
        CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = s.video_id OFFSET 0) v
        WHERE s.score > 0 AND
        """ + DiscoveryVisibility.Public + """

        ORDER BY s.score DESC, s.video_id DESC
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
