namespace IgLive.Service.Features.Common;

/// <summary>A live video as the contract shows it.</summary>
public sealed record VideoDto : IKeysetRow
{
    public required Guid Id { get; init; }
    /// <summary>1..150 characters.</summary>
    public required string Title { get; init; }
    /// <summary>Up to 2000 characters.</summary>
    public required string Description { get; init; }
    /// <summary>Up to 10 lower-case tags, each <c>^[a-z0-9_]{1,30}$</c>.</summary>
    public required string[] Tags { get; init; }
    /// <summary>Where the file is played from (ImageKit delivery URL or <c>/media/…</c>).</summary>
    public required string VideoUrl { get; init; }
    public string? ThumbnailUrl { get; init; }
    /// <summary>HLS adaptive stream: the master playlist (<c>/media/hls/{id}/master.m3u8</c>, or ImageKit's); null until ready.</summary>
    public string? StreamUrl { get; init; }
    public required string ContentType { get; init; }
    public required long SizeBytes { get; init; }
    /// <summary>Null when unknown.</summary>
    public double? DurationSeconds { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public required long ViewsCount { get; init; }
    public required long LikesCount { get; init; }
    public required long CommentsCount { get; init; }
    /// <summary>Whether the caller likes it; null when the request is anonymous.</summary>
    public bool? LikedByMe { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required AuthorDto Author { get; init; }
    /// <summary><c>processing</c> (thumbnail and HLS being made), <c>ready</c> or <c>failed</c>; only the owner ever sees a video that is not ready.</summary>
    public string Status { get; init; } = VideoStatuses.Ready;
    /// <summary>Why processing failed, for the owner; null unless <c>failed</c>.</summary>
    public string? FailureReason { get; init; }
}
