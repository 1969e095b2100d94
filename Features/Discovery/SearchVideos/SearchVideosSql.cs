using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.SearchVideos;

/// <summary>
/// Full-text first, trigram fallback when it finds nothing. The tsquery is <c>iglive_search_query(@Words, @Prefix)</c>
/// (migration 0190: words unaccented and quoted as lexemes in SQL, so no user text is parsed as tsquery syntax).
/// Bounded work: only a candidate set is ranked — the @Cap newest visible matches (first page), later pages the
/// matches inside that set's created_at window, carried in the cursor, so every page ranks the same set. The endpoint
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

                    AND v.created_at BETWEEN @WindowFrom AND @WindowTo
        """ + CandidatesTail + """
        ) c
              WHERE (c.rank, c.created_at, c.id) < (@CursorScore::real, @CursorAt, @CursorId)
        """;

    private const string FuzzyHead = DiscoveryVideoSql.Columns + """
        , r.rank AS score, NULL::timestamptz AS window_from, NULL::timestamptz AS window_to
        FROM (SELECT v.id, word_similarity(iglive_unaccent(@Fuzzy), iglive_video_fuzzy_text(v.title, v.tags)) AS rank, v.created_at
              FROM videos v
              WHERE iglive_video_fuzzy_text(v.title, v.tags) %> iglive_unaccent(@Fuzzy) AND
        """ + DiscoveryVisibility.ForViewer;

    private const string FuzzyAfter = """

                AND (word_similarity(iglive_unaccent(@Fuzzy), iglive_video_fuzzy_text(v.title, v.tags)), v.created_at, v.id)
                    < (@CursorScore::real, @CursorAt, @CursorId)
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
    // The same candidate set (the matches inside the cursor's window), after the cursor's (rank, created_at, id).
    public const string FullTextNext = FullTextNextHead + Tail;
    // Visible videos whose title and tags contain a close spelling of @Fuzzy (word_similarity above
    // pg_trgm.word_similarity_threshold, 0.6), most similar first; videos_fuzzy_idx (bitmap).
    public const string FuzzyFirst = FuzzyHead + Tail;
    // Same, after a cursor.
    public const string FuzzyNext = FuzzyHead + FuzzyAfter + Tail;
}
