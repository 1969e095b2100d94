namespace IgLive.Service.Features.Common;

/// <summary>One page of a keyset-paginated list.</summary>
public sealed record Page<T>
{
    public required IReadOnlyList<T> Items { get; init; }
    /// <summary>Opaque cursor of the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }
}

/// <summary>A row of a newest-first list, by its keyset position.</summary>
public interface IKeysetRow
{
    DateTimeOffset CreatedAt { get; }
    Guid Id { get; }
}

public static class Page
{
    /// <summary>
    /// Turns the <paramref name="limit"/> + 1 rows a list query fetched into a page: the extra row only says that
    /// there is a next page, whose cursor is the last row kept.
    /// </summary>
    public static Page<T> Of<T>(List<T> rows, int limit) where T : IKeysetRow
    {
        if (rows.Count <= limit) return new Page<T> { Items = rows, NextCursor = null };
        rows.RemoveRange(limit, rows.Count - limit);
        var last = rows[^1];
        return new Page<T> { Items = rows, NextCursor = new Cursor(last.CreatedAt, last.Id).Encode() };
    }
}
