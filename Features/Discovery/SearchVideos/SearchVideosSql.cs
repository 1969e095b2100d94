using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.SearchVideos;

/// <summary>
/// A one-word search (the endpoint runs <see cref="SearchSeveralWordsSql"/> for several words); when it finds nothing,
/// the same search with the word corrected (<see cref="Correct"/>).
/// O(page), never O(matches): candidates come from <c>search_postings</c> (migrations 0200, 0220: one row per
/// (lexeme, video) with the lexeme's rank in that video, primary key (lexeme, created_at, video_id) INCLUDE (rank)),
/// read newest first as index-only range scans. The word, when a prefix (@Prefix), stands for its @Expansions most
/// frequent completions (<c>search_lexemes.ndoc</c>; the word itself always among them). The walk reads the newest
/// postings of those lexemes back to a cutoff estimated from their frequencies (<see cref="WalkFirst"/>: about 1.25 × @Walk
/// + 10 postings in all, at most @Walk per lexeme; the exact cutoff when the estimate keeps too few), and keeps the
/// newest @Walk videos as the candidate set, each ranked by the
/// sum of its postings' ranks (what ts_rank gives the document for the word or the prefix: 0220). Only then are videos
/// read: in rank order, each checked for visibility by primary key, until a page of visible ones is found. So a page
/// costs one index read per candidate and about one video and one author probe per row shown (more when hidden videos
/// rank high), where ranking documents cost a video fetch per candidate (docs/benchmarks.md, "search from ranked
/// postings"). All index equality and range lookups and nested loops over bounded inputs: the plan is fixed by the
/// statement's shape, and the statements run it generic (<see cref="PlanCacheMode.Generic"/>; PostgreSQL, judging the
/// generic plan by default estimates, had kept planning every execution). (A prefix's completions are the range
/// [word, word || U+10FFFF) of the C-collated primary key: ^@ alone uses the index only for a constant. The word itself
/// is the range [word, word] too: as `=`, the generic plan probed the trigram index.)
/// </summary>
internal static class SearchVideosSql
{
    private const string LexemesHead = """
        WITH lexemes AS MATERIALIZED (
            SELECT l.lexeme, l.ndoc
            FROM (SELECT lower(iglive_unaccent(@Word)) COLLATE "C" AS u) t
            CROSS JOIN LATERAL ((SELECT s.lexeme, s.ndoc FROM search_lexemes s WHERE s.lexeme >= t.u AND s.lexeme <= t.u)
                                UNION ALL
                                (SELECT s.lexeme, s.ndoc FROM search_lexemes s
                                 WHERE @Prefix AND s.lexeme > t.u AND s.lexeme < t.u || chr(1114111) AND s.lexeme ^@ t.u
                                 ORDER BY s.ndoc DESC, s.lexeme
                                 LIMIT @Expansions - 1)) l
            WHERE t.u <> ''
        """;

    private const string Lexemes = LexemesHead + "),\n\n";

    // Later pages search the first page's lexemes when its cursor carries them (@Lexemes: a prefix's completions, chosen
    // by live frequencies that uploads move, so choosing again could swap the last completion and repeat or skip rows),
    // else (empty: a cursor too long to carry them, one carrying more than @Expansions, or without a prefix: the word
    // alone) choose them again.
    private const string LexemesNext = LexemesHead + """
              AND cardinality(@Lexemes::text[]) = 0
            UNION ALL
            SELECT c.lexeme COLLATE "C", NULL::integer FROM unnest(@Lexemes::text[]) AS c (lexeme)),

        """;

    // A walk of the lexemes' postings not older than the t0 of the CTE named between WalkHead and WalkTail: up to @Walk per
    // lexeme, grouped by video, the newest @Walk videos (all of a video's postings share its created_at, so each
    // candidate's rank is complete).
    private const string WalkHead = """
            SELECT p.created_at, p.video_id, sum(p.rank ORDER BY p.lexeme) AS rank
            FROM lexemes l
            CROSS JOIN LATERAL (SELECT po.lexeme, po.created_at, po.video_id, po.rank FROM search_postings po
                                WHERE po.lexeme = l.lexeme
                                  AND po.created_at <= coalesce(@WindowTo::timestamptz, 'infinity')
                                  AND po.created_at >= (SELECT t0 FROM 
        """;

    private const string WalkTail = """
        )
                                ORDER BY po.created_at DESC, po.video_id DESC
                                LIMIT @Walk) p
            GROUP BY p.created_at, p.video_id
            ORDER BY p.created_at DESC, p.video_id DESC
            LIMIT @Walk
        """;

    // The first page's walk: the newest @Walk videos with a lexeme, read cheaply. The cutoff `since` is where the lexemes
    // together should have about 1.25 × @Walk + 10 postings: the k-th newest posting of the most frequent one, k its
    // share of their documents (ndoc) of that, so the walk reads about as many postings as it keeps (for `cour`, 30
    // completions of similar frequency, 1,464 were read to keep 200 when k was @Walk). An estimate (each lexeme's postings
    // arriving at its average rate): when it falls short (fewer than @Walk videos after a finite cutoff) the walk is read
    // again from the exact cutoff, the @Walk-th newest posting of the most frequent lexeme (`exact`: the merged @Walk
    // newest cannot be older), which a one-time filter skips otherwise. Either way the candidate set is exactly the
    // newest @Walk videos with a lexeme (all of them when there are fewer: then the walk saw every match).
    private const string WalkFirst = """
        since AS MATERIALIZED (
        """ + "\n" + TopLexemePostingAt + "(SELECT least(@Walk, ceil((1.25 * @Walk + 10) * max(ndoc) / nullif(sum(ndoc), 0)))::integer - 1 FROM lexemes)" + TopLexemePostingTail + """
        ),
        estimated AS MATERIALIZED (
        """ + "\n" + WalkHead + "since" + WalkTail + """
        ),
        exact AS MATERIALIZED (
        """ + "\n" + TopLexemePostingAt + "@Walk - 1" + TopLexemePostingTail + """
        ),
        enough AS MATERIALIZED (
            SELECT (SELECT count(*) FROM estimated) >= @Walk OR (SELECT t0 FROM since) = '-infinity' AS ok),
        walk AS MATERIALIZED (
            SELECT * FROM estimated WHERE (SELECT ok FROM enough)
            UNION ALL
            SELECT * FROM (
        """ + "\n" + WalkHead + "exact" + WalkTail + """
        ) w
            WHERE NOT (SELECT ok FROM enough))

        """;

    // The created_at of the most frequent lexeme's posting at the OFFSET between these two (-infinity past its last):
    // a walk's cutoff t0.
    private const string TopLexemePostingAt = """
            SELECT coalesce((SELECT po.created_at FROM search_postings po
                             WHERE po.lexeme = (SELECT lexeme FROM lexemes ORDER BY ndoc DESC, lexeme LIMIT 1)
                             ORDER BY po.created_at DESC, po.video_id DESC
                             OFFSET 
        """;

    private const string TopLexemePostingTail = """

                             LIMIT 1), '-infinity') AS t0
        """;

    // Later pages walk the first page's window: the same candidates (a video gone since leaves a gap).
    private const string WalkNext = """
        since AS MATERIALIZED (SELECT @WindowFrom::timestamptz AS t0),
        walk AS MATERIALIZED (
        """ + "\n" + WalkHead + "since" + WalkTail + """
        )

        """;

    // The first page also says how many candidates it had (the endpoint widens a short first page only when the walk was
    // full and some candidates were hidden).
    // A prefix's first page also returns its lexemes, on the row a next cursor is made of (the @Take - 1st: the last shown).
    private const string FirstWindow = ", (SELECT min(created_at) FROM walk) AS window_from, (SELECT max(created_at) FROM walk) AS window_to,\n" +
                                       "       (SELECT count(*) FROM walk) AS candidates,\n" +
                                       "       CASE WHEN @Prefix AND row_number() OVER (ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC) = @Take - 1\n" +
                                       "            THEN (SELECT array_agg(lexeme ORDER BY lexeme) FROM lexemes) END AS lexemes";

    private const string NextWindow = ", @WindowFrom AS window_from, @WindowTo AS window_to";

    private const string FirstFrom = """

        FROM (SELECT v.*, r.rank, r.created_at AS walk_at
              FROM (SELECT * FROM walk ORDER BY rank DESC, created_at DESC, video_id DESC) r
        """;

    private const string NextFrom = """

        FROM (SELECT v.*, r.rank, r.created_at AS walk_at
              FROM (SELECT * FROM walk
                    WHERE created_at >= @WindowFrom AND (rank, created_at, video_id) < (@CursorScore::real, @CursorAt, @CursorId)
                    ORDER BY rank DESC, created_at DESC, video_id DESC) r
        """;

    private const string Page = """

              CROSS JOIN LATERAL (SELECT * FROM videos v WHERE v.id = r.video_id OFFSET 0) v
              WHERE
        """ + DiscoveryVisibility.ForViewer + """

              ORDER BY r.rank DESC, r.created_at DESC, r.video_id DESC
              LIMIT @Take) v
        """ + "\n" + DiscoveryVideoSql.Author + """

        ORDER BY v.rank DESC, v.walk_at DESC, v.id DESC
        LIMIT @Take
        """;

    private const string Score = ", v.rank AS score";

    // The first page: the @Walk newest videos with the word (or a completion), ranked by their postings (title A > tags B
    // > description C), then newest, the visible ones of them; with the created_at window of that candidate set for the
    // cursor. search_lexemes_pkey (word, completions), search_postings_pkey (the walk, index-only), then per row in rank
    // order videos_pkey and profiles_pkey (visibility), profiles_pkey (the author), for a signed-in caller
    // video_likes_pkey (liked_by_me).
    public const string FirstAnonymous = PlanCacheMode.Generic + Lexemes + WalkFirst + DiscoveryVideoSql.ColumnsAnonymous + Score + FirstWindow + FirstFrom + Page;
    public const string FirstForViewer = PlanCacheMode.Generic + Lexemes + WalkFirst + DiscoveryVideoSql.ColumnsForViewer + Score + FirstWindow + FirstFrom + Page;
    // The same candidate set, after the cursor's (rank, created_at, id): the walk reads the first page's window (WalkNext).
    public const string NextAnonymous = PlanCacheMode.Generic + LexemesNext + WalkNext + DiscoveryVideoSql.ColumnsAnonymous + Score + NextWindow + NextFrom + Page;
    public const string NextForViewer = PlanCacheMode.Generic + LexemesNext + WalkNext + DiscoveryVideoSql.ColumnsForViewer + Score + NextWindow + NextFrom + Page;

    // The typo fallback: each word of 3+ letters replaced by the closest indexed word of at most 64 characters (what a
    // cursor carries, SearchTerms.MaxWordLength) (search_lexemes, every word of
    // some video's title, tags or description: pg_trgm similarity above pg_trgm.similarity_threshold, 0.3; the more
    // frequent on a tie; search_lexemes_trgm_idx), or kept when nothing is close. The corrected words are then searched
    // with the statements above, and later pages carry them in the cursor (no second correction). An empty array when no
    // word changed (each kept, or its closest word is itself once unaccented: `café` typed, `cafe` indexed, no visible
    // match): searching again would repeat the search that found nothing.
    public const string Correct = PlanCacheMode.Generic + """
        SELECT CASE WHEN bool_or(c.lexeme <> lower(iglive_unaccent(x.w))) THEN array_agg(coalesce(c.lexeme, x.w) ORDER BY x.i) ELSE '{}' END AS corrected
        FROM unnest(@Words::text[]) WITH ORDINALITY AS x (w, i)
        LEFT JOIN LATERAL (SELECT s.lexeme FROM search_lexemes s
                           WHERE length(x.w) >= 3 AND s.lexeme % lower(iglive_unaccent(x.w)) AND length(s.lexeme) <= 64
                           ORDER BY s.lexeme <-> lower(iglive_unaccent(x.w)), s.ndoc DESC, s.lexeme
                           LIMIT 1) c ON true
        """;
}
