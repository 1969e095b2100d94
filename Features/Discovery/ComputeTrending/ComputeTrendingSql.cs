using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.ComputeTrending;

internal static class ComputeTrendingSql
{
    /// <summary>"trending" in ASCII: one run at a time across instances and callers (job, tests, CLI).</summary>
    public const long RunLockKey = 0x7472656e64696e67;

    // Serialises runs; held until the run's transaction ends. JIT off for the run: its statements are estimated from
    // parameters (generate_series, queue sizes) far above jit_above_cost, and compiling them cost ~0.8 s per statement
    // on the benchmark seed where the work itself took milliseconds.
    public const string Lock = "SET LOCAL jit = off; SELECT pg_advisory_xact_lock(@LockKey)";

    // The parameters the scores were built with and the last run (trending_state, one row; migrations 0191, 0210).
    public const string State = "SELECT half_life_seconds, last_run_at FROM trending_state FOR UPDATE";

    // 2^((bucket middle - epoch) / half-life): a bucket's weight relative to the epoch of trending_state (migration 0191).
    private const string Weight = "power(2::float8, extract(epoch FROM b.hour + interval '30 minutes' - (SELECT epoch FROM trending_state)) / @HalfLifeSeconds)";

    // A video row locked against deletion until the run commits (FOR KEY SHARE, what the foreign keys of
    // trending_hourly, trending_scores and trending_videos take anyway on insert): a video deleted while the run works is
    // skipped by the lock (READ COMMITTED re-checks the row) instead of failing the insert's foreign-key check. SKIP
    // LOCKED: a video another transaction holds FOR UPDATE is being deleted (cleanup's batch, an owner's delete; updates
    // of counters or removed_at take no conflicting lock), so it is skipped rather than waited for: waiting could
    // deadlock, as that deletion's cascade waits for the rows this run has already written.
    private const string Existing = "EXISTS (SELECT 1 FROM videos v WHERE v.id = b.video_id FOR KEY SHARE SKIP LOCKED)";

    // The scores built again from the hourly buckets with the configured half-life, relative to a new epoch, when the
    // half-life the scores were built with differs (or is unknown); the queued deltas are folded after, with it too.
    public const string Rebuild = """
        UPDATE trending_state SET epoch = @Epoch;
        DELETE FROM trending_scores;
        INSERT INTO trending_scores (video_id, score, last_hour)
        SELECT b.video_id, sum(b.units *
        """ + Weight + """
        ), max(b.hour)
        FROM trending_hourly b WHERE
        """ + " " + Existing + """

        GROUP BY b.video_id;
        """;

    // One run, inside one transaction (readers see the old rankings or the new ones, never a half). Work is bounded by
    // what happened since the last run: (1) the queued deltas of videos that still exist and of buckets inside the
    // window are folded into trending_hourly and trending_scores; (2) buckets that left the window are subtracted and
    // deleted, scores without a bucket left are deleted; (3) once the epoch is 64 half-lives old, scores are rescaled
    // to a new one; (4) the @Size best visible videos are published with their score decayed to @Now
    // (trending_scores_rank_idx walk, videos_pkey and profiles_pkey probes).
    public const string Run = """
        WITH d AS (DELETE FROM trending_deltas RETURNING video_id, hour, units),
        a AS (SELECT b.video_id, b.hour, sum(b.units) AS units FROM d b
              WHERE b.hour > @Since - interval '1 hour' AND
        """ + " " + Existing + """

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
        FROM trending_state st WHERE (SELECT epoch FROM trending_state) < @Epoch - @HalfLifeSeconds * 64 * interval '1 second';
        UPDATE trending_state SET epoch = @Epoch WHERE epoch < @Epoch - @HalfLifeSeconds * 64 * interval '1 second';
        DELETE FROM trending_videos;
        INSERT INTO trending_videos (video_id, score, computed_at)
        SELECT s.video_id, s.score * power(2::float8, -extract(epoch FROM @Now - (SELECT epoch FROM trending_state)) / @HalfLifeSeconds), @Now
        FROM trending_scores s
        CROSS JOIN LATERAL (SELECT v.* FROM videos v WHERE v.id = s.video_id AND
        """ + DiscoveryVisibility.Public + """

                            OFFSET 0 FOR KEY SHARE SKIP LOCKED) v
        WHERE s.score > 0
        ORDER BY s.score DESC, s.video_id DESC
        LIMIT @Size;
        UPDATE trending_state SET half_life_seconds = @HalfLifeSeconds, last_run_at = @Now;
        """;

    // Trending tags (migration 0210): visible videos uploaded in (@Now - 24 h, @Now], per tag. The hours strictly
    // between @WindowStartHour (the hour @Now - 24 h falls in) and @CurrentHour are kept counted in trending_tag_hours;
    // (1) counts that may be stale are dropped: hours that left the window, hours marked dirty by the triggers, hours
    // in which a video expired since the last run (@LastRun, read before this run's state update; videos_expires_idx:
    // the expiries of one period; every count was made by a run, so none is older than the previous run's expiries),
    // counts made at a later clock, all of them when there is no last run; (2) hours of the window without counts are counted, one hour at a time
    // (video_tags_created_idx range, a videos_pkey and a profiles probe per row: one hour of uploads per hour in steady
    // state; a plain join let the planner hash all videos); (3) the top 50 are published: the counted hours plus the two
    // partial hours at the ends, counted live (together one hour of uploads).
    public const string Tags = """
        WITH d AS (DELETE FROM trending_tag_dirty RETURNING hour),
        e AS (SELECT DISTINCT date_trunc('hour', v.created_at, 'UTC') AS hour FROM videos v
              WHERE v.expires_at > @LastRun AND v.expires_at <= @Now AND v.created_at > @WindowStartHour),
        s AS (SELECT c.hour FROM trending_tag_hours_counted c
              WHERE c.hour <= @WindowStartHour OR c.hour >= @CurrentHour OR c.computed_at > @Now OR @LastRun::timestamptz IS NULL
                 OR c.hour IN (SELECT hour FROM d) OR c.hour IN (SELECT hour FROM e)),
        x AS (DELETE FROM trending_tag_hours_counted c USING s WHERE c.hour = s.hour)
        DELETE FROM trending_tag_hours t USING s WHERE t.hour = s.hour;
        WITH r AS (SELECT g.hour FROM generate_series(@WindowStartHour + interval '1 hour', @CurrentHour - interval '1 hour', interval '1 hour') g (hour)
                   WHERE NOT EXISTS (SELECT 1 FROM trending_tag_hours_counted c WHERE c.hour = g.hour)),
        m AS (INSERT INTO trending_tag_hours_counted (hour, computed_at) SELECT hour, @Now FROM r)
        INSERT INTO trending_tag_hours (hour, tag, videos)
        SELECT r.hour, c.tag, c.n
        FROM r CROSS JOIN LATERAL (
            SELECT t.tag, count(*) AS n FROM video_tags t
            CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = t.video_id OFFSET 0) v
            WHERE t.created_at >= r.hour AND t.created_at < r.hour + interval '1 hour' AND
        """ + DiscoveryVisibility.Public + """

            GROUP BY t.tag) c;
        DELETE FROM trending_tags;
        INSERT INTO trending_tags (tag, videos_count, computed_at)
        SELECT e.tag, sum(e.n), @Now
        FROM (SELECT h.tag, h.videos AS n FROM trending_tag_hours h WHERE h.hour > @WindowStartHour AND h.hour < @CurrentHour
              UNION ALL
              SELECT t.tag, 1 FROM video_tags t
              CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = t.video_id OFFSET 0) v
              WHERE ((t.created_at > @Now - interval '24 hours' AND t.created_at < @WindowStartHour + interval '1 hour')
                     OR (t.created_at >= @CurrentHour AND t.created_at <= @Now)) AND
        """ + DiscoveryVisibility.Public + """
        ) e
        GROUP BY e.tag
        ORDER BY sum(e.n) DESC, e.tag
        LIMIT 50;
        """;

    // Sizes of the rankings just written (for the log).
    public const string Counts = "SELECT (SELECT count(*) FROM trending_videos), (SELECT count(*) FROM trending_tags)";

    // The gauges and /health/jobs: queued deltas (counted up to 1,000,000: past that the number is only "too many")
    // and the last committed run.
    public const string Stats = """
        SELECT (SELECT count(*) FROM (SELECT 1 FROM trending_deltas LIMIT 1000000) q) AS queued_deltas,
               (SELECT last_run_at FROM trending_state) AS last_run_at
        """;
}
