namespace IgLive.Service.Features.Graph.FollowUser;

public sealed record FollowUserRequest
{
    /// <summary>The user to follow or unfollow (case-insensitive).</summary>
    public string Username { get; init; } = "";
}

/// <summary>The caller's follow state after the call and the other user's follower count.</summary>
public sealed record FollowUserResponse
{
    /// <summary>Whether the caller follows the user now.</summary>
    public required bool Following { get; init; }
    /// <summary>The user's followers, counted in the statement that changed them.</summary>
    public required long FollowersCount { get; init; }
}
