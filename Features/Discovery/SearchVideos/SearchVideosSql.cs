using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.SearchVideos;

/// <summary>
/// Full-text first; when it finds nothing, the same search with misspelt words corrected (<see cref="Correct"/>).
/// The endpoint runs FullTextFirst/Next for a one-word search and <see cref="SearchSeveralWordsSql"/> for several
/// (measured faster there); the statements below are correct for several words too (the rarest drives, @Walk bounds
/// the probes), which is how they were measured.
/// Every statement is O(page), never O(matches): candidates come from <c>search_postings</c> (migration 0200, one row
/// per (lexeme, video), primary key (lexeme, created_at, video_id)), read newest first as index range scans, and only
/// the first @Cap visible matches are ranked. The query's terms are its words, the last one a prefix (when @Prefix)
/// that stands for its @Expansions most frequent completions (<c>search_lexemes.ndoc</c>; the word itself always
/// among them). The rarest term (least ndoc) drives: its postings newest first (a prefix's completions merged), at
/// most @Walk of them, each checked by primary key for visibility and for the whole tsquery (the other words), until
/// @Cap match. The walk's merge reads, per completion, only postings newer than the @Walk-th posting of the most
/// frequent completion (the merged @Walk newest cannot be older), so a prefix costs about @Walk index tuples plus
/// what its rarer completions add in that time, at most @Expansions × @Walk. All index equality and range lookups
/// and nested loops over bounded inputs: the generic plan is the custom one, no plan_cache_mode needed. (A prefix's
/// completions are the range [word, word || U+10FFFF) of the C-collated primary key: ^@ alone uses the index only for
/// a constant. The word itself is the range [word, word] too: as `=`, the generic plan probed the trigram index.)
/// The tsquery is <c>iglive_search_query(@Words, @Prefix)</c> (0190: words quoted as lexemes, no user text parsed as
/// tsquery syntax), computed once per statement (a MATERIALIZED CTE, read by InitPlans).
/// </summary>
internal static class SearchVideosSql
{
    private const string Head = """
        WITH q AS MATERIALIZED (SELECT iglive_search_query(@Words::text[], @Prefix) AS tsq),
        terms AS MATERIALIZED (
            SELECT x.i, lower(iglive_unaccent(x.w)) COLLATE "C" AS u, x.i = cardinality(@Words::text[]) AND @Prefix AS prefix
            FROM unnest(@Words::text[]) WITH ORDINALITY AS x (w, i)
            WHERE iglive_unaccent(x.w) <> ''),
        lexemes AS MATERIALIZED (
            SELECT t.i, l.lexeme, l.ndoc
            FROM terms t
            CROSS JOIN LATERAL ((SELECT s.lexeme, s.ndoc FROM search_lexemes s WHERE s.lexeme >= t.u AND s.lexeme <= t.u)
                                UNION ALL
                                (SELECT s.lexeme, s.ndoc FROM search_lexemes s
                                 WHERE t.prefix AND s.lexeme > t.u AND s.lexeme < t.u || chr(1114111) AND s.lexeme ^@ t.u
                                 ORDER BY s.ndoc DESC, s.lexeme
                                 LIMIT @Expansions - 1)) l),
        driver AS MATERIALIZED (
            SELECT l.lexeme, l.ndoc FROM lexemes l
            WHERE l.i = (SELECT i FROM lexemes GROUP BY i ORDER BY sum(ndoc), i LIMIT 1)
              AND (SELECT count(DISTINCT i) FROM lexemes) = (SELECT count(*) FROM terms)),
        since AS MATERIALIZED (
            SELECT coalesce((SELECT po.created_at FROM search_postings po
                             WHERE po.lexeme = (SELECT lexeme FROM driver ORDER BY ndoc DESC, lexeme LIMIT 1)
                               AND po.created_at <= coalesce(@WindowTo::timestamptz, 'infinity')
                             ORDER BY po.created_at DESC, po.video_id DESC
                             OFFSET @Walk - 1 LIMIT 1), '-infinity') AS t0)

        """;

    private const string Candidates = """
                    FROM (SELECT DISTINCT p.created_at, p.video_id
                          FROM driver d
                          CROSS JOIN LATERAL (SELECT po.created_at, po.video_id FROM search_postings po
                                              WHERE po.lexeme = d.lexeme
                                                AND po.created_at <= coalesce(@WindowTo::timestamptz, 'infinity')
                                                AND po.created_at >= (SELECT t0 FROM since)
                                              ORDER BY po.created_at DESC, po.video_id DESC
                                              LIMIT @Walk) p
                          ORDER BY 1 DESC, 2 DESC
                          LIMIT @Walk) w
                    CROSS JOIN LATERAL (SELECT v.id, v.search_doc, v.created_at
                                        FROM videos v
                                        WHERE v.id = w.video_id AND v.search_doc @@ (SELECT tsq FROM q) AND
        """ + DiscoveryVisibility.ForViewer + """

                                        OFFSET 0) v
                    ORDER BY w.created_at DESC, w.video_id DESC
                    LIMIT @Cap) c
        """;

    private const string FirstHead = Head + DiscoveryVideoSql.Columns + """
        , r.rank AS score, r.window_from, r.window_to
        FROM (SELECT c.id, ts_rank(c.search_doc, (SELECT tsq FROM q)) AS rank, c.created_at,
                     min(c.created_at) OVER () AS window_from, max(c.created_at) OVER () AS window_to
              FROM (SELECT v.id, v.search_doc, v.created_at

        """ + Candidates;

    private const string NextHead = Head + DiscoveryVideoSql.Columns + """
        , r.rank AS score, @WindowFrom AS window_from, @WindowTo AS window_to
        FROM (SELECT c.id, c.rank, c.created_at
              FROM (SELECT c.id, ts_rank(c.search_doc, (SELECT tsq FROM q)) AS rank, c.created_at
                    FROM (SELECT v.id, v.search_doc, v.created_at

        """ + Candidates + """
        ) c
              WHERE c.created_at >= @WindowFrom AND (c.rank, c.created_at, c.id) < (@CursorScore::real, @CursorAt, @CursorId)
        """;

    internal const string Tail = """

              ORDER BY 2 DESC, 3 DESC, 1 DESC
              LIMIT 51) r
        CROSS JOIN LATERAL (SELECT * FROM videos WHERE id = r.id OFFSET 0) v
        """ + "\n" + DiscoveryVideoSql.Author + """

        ORDER BY r.rank DESC, r.created_at DESC, r.id DESC
        LIMIT @Take
        """;

    // The @Cap newest visible videos among the driver's @Walk newest postings that match every word (the last as a
    // prefix), ranked by ts_rank (title A > tags B > description C), then newest; with the created_at window of that
    // candidate set for the cursor. search_lexemes_pkey (terms, completions), search_postings_pkey (the walk),
    // videos_pkey (visibility and the tsquery per posting, then the page's rows), profiles_pkey.
    public const string FullTextFirst = FirstHead + Tail;
    // The same candidate set, after the cursor's (rank, created_at, id): the walk starts at the window's end, then
    // only candidates inside the window count (a video gone since leaves a gap, never lets an older one in).
    public const string FullTextNext = NextHead + Tail;
    // The typo fallback: each word of 3+ letters replaced by the closest indexed word of at most 64 characters (what a
    // cursor carries, SearchTerms.MaxWordLength) (search_lexemes, every word of
    // some video's title, tags or description: pg_trgm similarity above pg_trgm.similarity_threshold, 0.3; the more
    // frequent on a tie; search_lexemes_trgm_idx), or kept when nothing is close. The corrected words are then searched
    // with FullTextFirst / FullTextNext, and later pages carry them in the cursor (no second correction).
    public const string Correct = """
        SELECT coalesce(array_agg(coalesce(c.lexeme, x.w) ORDER BY x.i), '{}')
        FROM unnest(@Words::text[]) WITH ORDINALITY AS x (w, i)
        LEFT JOIN LATERAL (SELECT s.lexeme FROM search_lexemes s
                           WHERE length(x.w) >= 3 AND s.lexeme % lower(iglive_unaccent(x.w)) AND length(s.lexeme) <= 64
                           ORDER BY s.lexeme <-> lower(iglive_unaccent(x.w)), s.ndoc DESC, s.lexeme
                           LIMIT 1) c ON true
        """;
}
