using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.SearchVideos;

/// <summary>
/// Full-text first; when it finds nothing, the same search with misspelt words corrected (<see cref="Correct"/>). The tsquery is <c>iglive_search_query(@Words, @Prefix)</c>
/// (migration 0190: words unaccented and quoted as lexemes in SQL, so no user text is parsed as tsquery syntax).
/// Bounded work: only a candidate set is ranked — the @Cap newest visible matches (first page), later pages the
/// same set again (its created_at window is carried in the cursor), so every page ranks the same set. The endpoint
/// runs these with custom plans (plan_cache_mode) so the planner sees the tsquery and picks the newest-first walk of
/// videos_feed_idx for a common word or the GIN bitmap for a rare one. Page rows are then probed by primary key.
/// </summary>
internal static class SearchVideosSql
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

    private const string FullTextFirstHead = DiscoveryVideoSql.Columns + """
        , r.rank AS score, r.window_from, r.window_to
        FROM (SELECT c.id, ts_rank(c.search_doc, 
        """ + TsQuery + """
        ) AS rank, c.created_at,
                     min(c.created_at) OVER () AS window_from, max(c.created_at) OVER () AS window_to

        """ + Candidates + CandidatesTail;

    private const string FullTextNextHead = DiscoveryVideoSql.Columns + """
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

    // Custom plans for the statements of this transaction: the tsquery must be a constant when the plan is chosen.
    public const string CustomPlans = "SET LOCAL plan_cache_mode = force_custom_plan";

    // The @Cap newest visible videos matching every word (the last as a prefix), ranked by ts_rank (title A > tags B >
    // description C), then newest; with the created_at window of that candidate set for the cursor.
    public const string FullTextFirst = FullTextFirstHead + Tail;
    // The same candidate set, after the cursor's (rank, created_at, id): the @Cap newest matches up to the window's end,
    // then only those inside the window (a video gone since leaves a gap, never lets an older one in). The lower bound
    // is applied after the LIMIT on purpose: as an index condition, a narrow created_at range led the planner to a
    // BitmapAnd with the full GIN scan of a common word (470 ms); this way it plans like the first page.
    public const string FullTextNext = FullTextNextHead + Tail;
    // The typo fallback: each word replaced by the closest word of a title or tag (pg_trgm similarity above
    // pg_trgm.similarity_threshold, 0.3; search_words_trgm_idx, a nearest-neighbour probe per word), or kept when
    // nothing is close. The corrected words are then searched with FullTextFirst / FullTextNext.
    public const string Correct = """
        SELECT coalesce(array_agg(coalesce(c.word, x.w) ORDER BY x.i), '{}')
        FROM unnest(@Words::text[]) WITH ORDINALITY AS x (w, i)
        LEFT JOIN LATERAL (SELECT s.word FROM search_words s
                           WHERE length(x.w) >= 3 AND s.word % iglive_unaccent(x.w)
                           ORDER BY s.word <-> iglive_unaccent(x.w), s.word
                           LIMIT 1) c ON true
        """;
}
