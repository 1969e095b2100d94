namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>The sort key Dapper splits off the end of a ranked row (<c>… AS score</c>).</summary>
public sealed record SortKey
{
    public double Score { get; init; }
    /// <summary>Full-text search: the created_at window of the page's candidate set (null elsewhere).</summary>
    public DateTime? WindowFrom { get; init; }
    public DateTime? WindowTo { get; init; }
    /// <summary>A one-word search's first page: how many candidates (visible or not) its walk ranked.</summary>
    public long? Candidates { get; init; }
    /// <summary>A one-word prefix search's first page, on the row a next cursor is made of: the lexemes it searched.</summary>
    public string[]? Lexemes { get; init; }
}

/// <summary>Turns limit+1 ranked rows into a page and the cursor of its last row.</summary>
internal static class RankedPage
{
    // words: the typo fallback's corrected words, carried in the cursor so that later pages search them; lexemes: a later
    // page's, carried on (else the first page's, from its rows).
    public static Page<VideoDto> Of(List<(VideoDto Video, SortKey Key)> rows, int limit, ScoreOrder order, string[]? words = null,
        string[]? lexemes = null)
    {
        var more = rows.Count > limit;
        if (more) rows.RemoveRange(limit, rows.Count - limit);
        var items = rows.Select(r => r.Video).ToList();
        if (!more) return new Page<VideoDto> { Items = items, NextCursor = null };
        var (last, key) = rows[^1];
        var cursor = new ScoreCursor(order, key.Score, last.CreatedAt, last.Id, Utc(key.WindowFrom), Utc(key.WindowTo), words, lexemes ?? key.Lexemes);
        return new Page<VideoDto> { Items = items, NextCursor = cursor.Encode() };
    }

    private static DateTimeOffset? Utc(DateTime? at) => at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    /// <summary>Dapper's map for <c>VideoDto, AuthorDto, SortKey</c> rows.</summary>
    public static (VideoDto, SortKey) Map(VideoDto v, AuthorDto a, SortKey k) => (v with { Author = a }, k);
}
