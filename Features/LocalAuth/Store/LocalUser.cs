namespace IgLive.Service.Features.LocalAuth.Store;

/// <summary>A <c>local_users</c> row as the auth server shows it (never its password hash).</summary>
public sealed class LocalUser
{
    public Guid Id { get; init; }
    /// <summary>Lower-cased, as GoTrue stores it.</summary>
    public string Email { get; init; } = "";
    /// <summary>The user's <c>user_metadata</c>, a JSON object.</summary>
    public string UserMetadata { get; init; } = "{}";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? LastSignInAt { get; init; }
}

/// <summary>A session just issued: access token, the single-use refresh token, the session and its user.</summary>
public sealed record LocalSession(IssuedToken Access, string RefreshToken, Guid SessionId, LocalUser User);

/// <summary>Why the local auth server refused, in GoTrue's terms (the endpoints pick the status and error code).</summary>
public enum LocalRefusal
{
    EmailTaken,
    InvalidCredentials,
    RefreshTokenNotFound,
    RefreshTokenAlreadyUsed,
    SamePassword,
    UserNotFound,
}

/// <summary>A session, or why there is none.</summary>
public sealed record LocalGrant(LocalSession? Session, LocalRefusal? Refusal)
{
    public static LocalGrant Issued(LocalSession session) => new(session, null);
    public static LocalGrant Refused(LocalRefusal refusal) => new(null, refusal);
}

/// <summary>Which sessions a logout ends (GoTrue's <c>scope</c>): all of the user's, this one, or all but this one.</summary>
public enum LogoutScope { Global, Local, Others }
