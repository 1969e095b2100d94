namespace IgLive.Service.Features.Social.LikeVideo;

public sealed record LikeVideoRequest
{
    /// <summary>The video's id.</summary>
    [BindFrom("id")] public Guid VideoId { get; init; }
}

/// <summary>The caller's like state after the call and the video's like count.</summary>
public sealed record LikeVideoResponse
{
    /// <summary>Whether the caller likes the video now.</summary>
    public required bool Liked { get; init; }
    /// <summary>Number of likes, counted in the same statement that changed them.</summary>
    public required long LikesCount { get; init; }
}
