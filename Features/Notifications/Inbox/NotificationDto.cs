using System.Text.Json.Serialization;

namespace IgLive.Service.Features.Notifications.Inbox;

/// <summary>A notification as the contract shows it.</summary>
public sealed record NotificationDto
{
    public required Guid Id { get; init; }
    /// <summary><c>like</c>, <c>comment</c>, <c>follow</c>, <c>new_video</c>, <c>share</c> or <c>moderation</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>Up to three of the people who acted, newest first.</summary>
    public required IReadOnlyList<AuthorDto> Actors { get; init; }
    /// <summary>How many people acted (likes of one video collapse into one notification).</summary>
    public required long ActorsCount { get; init; }
    public NotificationVideoDto? Video { get; init; }
    public NotificationCommentDto? Comment { get; init; }
    /// <summary>Moderation outcomes only: what was decided.</summary>
    public string? Message { get; init; }
    public required bool Read { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the last actor joined; the list is ordered by it.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Change cursor (the SSE event id); not part of the JSON.</summary>
    [JsonIgnore] public long Seq { get; init; }
}

/// <summary>The video a notification is about.</summary>
public sealed record NotificationVideoDto
{
    public required Guid Id { get; init; }
    public required string Title { get; init; }
    public string? ThumbnailUrl { get; init; }
}

/// <summary>The comment a notification is about.</summary>
public sealed record NotificationCommentDto
{
    public required Guid Id { get; init; }
    public required string Text { get; init; }
}
