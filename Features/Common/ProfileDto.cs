namespace IgLive.Service.Features.Common;

/// <summary>A user's public profile.</summary>
public sealed record ProfileDto
{
    public required Guid Id { get; init; }
    /// <summary>Unique handle, <c>^[a-z0-9_.]{3,30}$</c>.</summary>
    public required string Username { get; init; }
    public string? DisplayName { get; init; }
    public string? AvatarUrl { get; init; }
    public string? Bio { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Number of the user's visible videos (live, ready, not removed).</summary>
    public required long VideosCount { get; init; }
    /// <summary>Number of users who follow this one.</summary>
    public long FollowersCount { get; init; }
    /// <summary>Number of users this one follows.</summary>
    public long FollowingCount { get; init; }
    /// <summary>Whether the caller follows this user; null when the request is anonymous.</summary>
    public bool? FollowedByMe { get; init; }
    /// <summary>Whether the caller has blocked this user; null when the request is anonymous.</summary>
    public bool? BlockedByMe { get; init; }
}
