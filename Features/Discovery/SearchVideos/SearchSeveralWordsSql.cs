using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.SearchVideos;

/// <summary>
/// A search of several words: a bounded candidate set, as <see cref="SearchVideosSql"/> has (here the @Cap newest visible
/// matches, ranked), chosen by the GIN index on videos.search_doc instead of the postings. Measured on the 1M-video seed
/// (docs/benchmarks.md, 2026-12-02 07:27): the GIN bitmap AND of a common and a medium word averaged 2.1 ms (its
/// heap visits are the intersection, a few hundred rows), the postings walk of the rarer word with a check of the
/// other per row 9.4 ms (up to 1,000 primary-key probes). The statements plan custom every time
/// (<see cref="PlanCacheMode.Custom"/>) so the planner sees the tsquery: the GIN bitmap for a rare pair, the newest-first
/// walk of videos_feed_idx when both words are common (many matches: the walk stops at the @Cap-th). Their generic plan
/// walks videos_feed_idx for every pair: 47-60 ms for a common and a rare word, against 2.4-3.5 ms custom
/// (planning 1.1 ms included).
/// </summary>
internal static class SearchSeveralWordsSql
{
    private const string TsQuery = "iglive_search_query(@Words::text[], @Prefix)";

    private const string Candidates = """
              FROM (SELECT v.id, v.search_doc, v.created_at
                    FROM videos v
                    WHERE v.search_doc @@ 
        """ + TsQuery + " AND " + DiscoveryVisibility.ForViewer;

    private const string CandidatesTail = """

                    ORDER BY v.created_at DESC, v.id DESC
                    LIMIT @Cap) c
        """;

    private const string FirstHead = DiscoveryVideoSql.Columns + """
        , r.rank AS score, r.window_from, r.window_to
        FROM (SELECT c.id, ts_rank(c.search_doc, 
        """ + TsQuery + """
        ) AS rank, c.created_at,
                     min(c.created_at) OVER () AS window_from, max(c.created_at) OVER () AS window_to

        """ + Candidates + CandidatesTail;

    private const string NextHead = DiscoveryVideoSql.Columns + """
        , r.rank AS score, @WindowFrom AS window_from, @WindowTo AS window_to
        FROM (SELECT c.id, c.rank, c.created_at
              FROM (SELECT c.id, ts_rank(c.search_doc, 
        """ + TsQuery + """
        ) AS rank, c.created_at

        """ + Candidates + """

                    AND v.created_at <= @WindowTo
        """ + CandidatesTail + """
        ) c
              WHERE c.created_at >= @WindowFrom AND (c.rank, c.created_at, c.id) < (@CursorScore::real, @CursorAt, @CursorId)
        """;

    private const string Tail = """

              ORDER BY 2 DESC, 3 DESC, 1 DESC
              LIMIT 51) r
        CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
        """ + "\n" + DiscoveryVideoSql.Author + """

        ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
        LIMIT @Take
        """;

    // The @Cap newest visible videos matching every word (the last as a prefix: GIN partial match, every completion),
    // ranked by ts_rank, then newest; with the created_at window of that candidate set for the cursor.
    // videos_search_doc_idx (bitmap) or videos_feed_idx (walk), then videos_pkey and profiles_pkey for the page.
    public const string First = PlanCacheMode.Custom + FirstHead + Tail;
    // The same candidate set after the cursor (as SearchVideosSql.NextAnonymous); the window's start is applied after the
    // LIMIT: as an index condition a narrow created_at range led the planner into a BitmapAnd with the full GIN scan of
    // a common word (470 ms).
    public const string Next = PlanCacheMode.Custom + NextHead + Tail;
}
