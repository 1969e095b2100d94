using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.SearchVideos;

/// <summary>
/// Full-text first, trigram fallback when it finds nothing. The tsquery is built in SQL from the words
/// <see cref="SearchTerms"/> extracted (@Words, each unaccented and quoted as one lexeme, the last one a prefix when
/// @Prefix), so no user text is ever parsed as tsquery syntax. The page is ranked in a derived table that carries only
/// (id, rank, created_at) through the top-N sort; videos and authors are then probed by primary key for the page rows.
/// The inner LIMIT is the constant 51 (largest limit + 1) so generic plans keep their estimate; the outer @Take cuts.
/// </summary>
internal static class SearchVideosSql
{
    private const string Query = """
        (SELECT to_tsquery('simple', string_agg(
                    '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''''
                    || CASE WHEN i = cardinality(@Words::text[]) AND @Prefix THEN ':*' ELSE '' END, ' & ' ORDER BY i)) AS q
         FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(@Words::text[]) WITH ORDINALITY AS x (w, i)) x
         WHERE u <> '') q
        """;

    private const string FullTextHead = DiscoveryVideoSql.Columns + ", r.rank AS score\nFROM (SELECT v.id, ts_rank(v.search_doc, q.q) AS rank, v.created_at\n      FROM "
        + Query + "\n      JOIN videos v ON v.search_doc @@ q.q\n      WHERE " + DiscoveryVisibility.ForViewer;

    private const string FullTextAfter = "\n        AND (ts_rank(v.search_doc, q.q), v.created_at, v.id) < (@CursorScore::real, @CursorAt, @CursorId)";

    private const string FuzzyHead = DiscoveryVideoSql.Columns + """
        , r.rank AS score
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

    // Visible videos matching every word (the last as a prefix), by ts_rank (title A > tags B > description C), then
    // newest; videos_search_doc_idx (bitmap), then videos_pkey and profiles_pkey per page row.
    public const string FullTextFirst = FullTextHead + Tail;
    // Same, after a cursor (rank, created_at, id).
    public const string FullTextNext = FullTextHead + FullTextAfter + Tail;
    // Visible videos whose title and tags contain a close spelling of @Fuzzy (word_similarity above
    // pg_trgm.word_similarity_threshold, 0.6), most similar first; videos_fuzzy_idx (bitmap).
    public const string FuzzyFirst = FuzzyHead + Tail;
    // Same, after a cursor.
    public const string FuzzyNext = FuzzyHead + FuzzyAfter + Tail;
}
