namespace IgLive.Service.Features.Common;

/// <summary>The author of a video or comment, as embedded in them.</summary>
public sealed record AuthorDto
{
    public required Guid Id { get; init; }
    public required string Username { get; init; }
    public string? DisplayName { get; init; }
    public string? AvatarUrl { get; init; }
}
