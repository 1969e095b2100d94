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
}

/// <summary>The author of a video or comment, as embedded in them.</summary>
public sealed record AuthorDto
{
    public required Guid Id { get; init; }
    public required string Username { get; init; }
    public string? DisplayName { get; init; }
    public string? AvatarUrl { get; init; }
}

internal static class ProfileSql
{
    // One profile with its visible videos count; profiles_pkey or profiles_username_key, then videos_user_idx.
    public const string Select = $"""
        SELECT p.id, p.username, p.display_name, p.avatar_url, p.bio, p.created_at,
               (SELECT count(*) FROM videos v WHERE v.user_id = p.id AND {Visibility.VideoLive}) AS videos_count
        FROM profiles p
        """;
    public const string ById = Select + " WHERE p.id = @Id";
    // Not found across a block either way (the caller's block list, once).
    public const string ByUsername = Select + " WHERE lower(p.username) = lower(@Username) AND " + Visibility.Profile;
}
