namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>The sort key Dapper splits off the end of a ranked row (<c>… AS score</c>).</summary>
public sealed record SortKey
{
    public double Score { get; init; }
}

/// <summary>Turns limit+1 ranked rows into a page and the cursor of its last row.</summary>
internal static class RankedPage
{
    public static Page<VideoDto> Of(List<(VideoDto Video, double Score)> rows, int limit, ScoreOrder order)
    {
        var more = rows.Count > limit;
        if (more) rows.RemoveRange(limit, rows.Count - limit);
        var items = rows.Select(r => r.Video).ToList();
        if (!more) return new Page<VideoDto> { Items = items, NextCursor = null };
        var (last, score) = rows[^1];
        return new Page<VideoDto> { Items = items, NextCursor = new ScoreCursor(order, score, last.CreatedAt, last.Id).Encode() };
    }

    /// <summary>Dapper's map for <c>VideoDto, AuthorDto, SortKey</c> rows.</summary>
    public static (VideoDto, double) Map(VideoDto v, AuthorDto a, SortKey k) => (v with { Author = a }, k.Score);
}
