namespace IgLive.Service.Features.Common;

/// <summary>A comment on a video.</summary>
public sealed record CommentDto : IKeysetRow
{
    public required Guid Id { get; init; }
    public required Guid VideoId { get; init; }
    /// <summary>Stored verbatim (trimmed), 1..1000 characters.</summary>
    public required string Text { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required AuthorDto Author { get; init; }
}
