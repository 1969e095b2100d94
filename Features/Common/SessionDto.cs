namespace IgLive.Service.Features.Common;

/// <summary>A session, shaped as Supabase Auth returns it (supabase-js clients read it unchanged).</summary>
public sealed record SessionDto
{
    /// <summary>JWT for <c>Authorization: Bearer</c>.</summary>
    public required string AccessToken { get; init; }
    /// <summary>Always <c>bearer</c>.</summary>
    public string TokenType { get; init; } = "bearer";
    /// <summary>Seconds until the access token expires.</summary>
    public required int ExpiresIn { get; init; }
    /// <summary>When the access token expires, in Unix seconds (as Supabase).</summary>
    public required long ExpiresAt { get; init; }
    /// <summary>Opaque, single-use: exchange it at <c>POST /api/auth/refresh</c> and keep the new one.</summary>
    public required string RefreshToken { get; init; }
    public required SessionUserDto User { get; init; }

    public static SessionDto From(AuthSession s) => new()
    {
        AccessToken = s.AccessToken,
        ExpiresIn = s.ExpiresIn,
        ExpiresAt = s.ExpiresAt.ToUnixTimeSeconds(),
        RefreshToken = s.RefreshToken,
        User = new SessionUserDto { Id = s.User.Id, Email = s.User.Email },
    };
}

public sealed record SessionUserDto
{
    public required Guid Id { get; init; }
    public required string Email { get; init; }
}
