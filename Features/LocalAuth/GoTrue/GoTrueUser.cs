using System.Text.Json;
using System.Text.Json.Serialization;
using IgLive.Service.Features.LocalAuth.Store;

namespace IgLive.Service.Features.LocalAuth.GoTrue;

/// <summary>GoTrue's user object (<c>models.User</c>) for a local user: e-mail provider, confirmed at sign-up (autoconfirm).</summary>
public sealed record GoTrueUser
{
    public required Guid Id { get; init; }
    /// <summary>Always <c>authenticated</c>.</summary>
    public string Aud { get; init; } = "authenticated";
    /// <summary>Always <c>authenticated</c>.</summary>
    public string Role { get; init; } = "authenticated";
    public required string Email { get; init; }
    /// <summary>When the e-mail was confirmed: at sign-up, as with autoconfirm.</summary>
    public required DateTimeOffset EmailConfirmedAt { get; init; }
    /// <summary>Always empty: no phone sign-in here.</summary>
    public string Phone { get; init; } = "";
    public required DateTimeOffset ConfirmedAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastSignInAt { get; init; }
    /// <summary><c>{provider: "email", providers: ["email"]}</c>.</summary>
    public required GoTrueAppMetadata AppMetadata { get; init; }
    /// <summary>Free JSON the user keeps (sign-up <c>data</c>, <c>PUT /user</c> <c>data</c>).</summary>
    public required JsonElement UserMetadata { get; init; }
    public required IReadOnlyList<GoTrueIdentity> Identities { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public bool IsAnonymous { get; init; }

    public static GoTrueUser From(LocalUser u)
    {
        var identity = new GoTrueIdentity
        {
            IdentityId = u.Id, Id = u.Id.ToString(), UserId = u.Id,
            IdentityData = new Dictionary<string, object> { ["email"] = u.Email, ["email_verified"] = true, ["phone_verified"] = false, ["sub"] = u.Id.ToString() },
            LastSignInAt = u.LastSignInAt ?? u.CreatedAt, CreatedAt = u.CreatedAt, UpdatedAt = u.UpdatedAt, Email = u.Email,
        };
        return new GoTrueUser
        {
            Id = u.Id, Email = u.Email, EmailConfirmedAt = u.CreatedAt, ConfirmedAt = u.CreatedAt, LastSignInAt = u.LastSignInAt,
            AppMetadata = new GoTrueAppMetadata(), UserMetadata = JsonDocument.Parse(u.UserMetadata).RootElement.Clone(),
            Identities = [identity], CreatedAt = u.CreatedAt, UpdatedAt = u.UpdatedAt,
        };
    }
}

public sealed record GoTrueAppMetadata
{
    public string Provider { get; init; } = "email";
    public IReadOnlyList<string> Providers { get; init; } = ["email"];
}

/// <summary>The user's e-mail identity (GoTrue's <c>models.Identity</c>).</summary>
public sealed record GoTrueIdentity
{
    public required Guid IdentityId { get; init; }
    /// <summary>The provider's id of the user: for the e-mail provider, the user id.</summary>
    public required string Id { get; init; }
    public required Guid UserId { get; init; }
    public required IReadOnlyDictionary<string, object> IdentityData { get; init; }
    public string Provider { get; init; } = "email";
    public required DateTimeOffset LastSignInAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required string Email { get; init; }
}

/// <summary>GoTrue's <c>AccessTokenResponse</c>: the session supabase-js stores.</summary>
public sealed record GoTrueSession
{
    public required string AccessToken { get; init; }
    /// <summary>Always <c>bearer</c>.</summary>
    public string TokenType { get; init; } = "bearer";
    public required int ExpiresIn { get; init; }
    /// <summary>Unix seconds.</summary>
    public required long ExpiresAt { get; init; }
    /// <summary>Opaque and single-use.</summary>
    public required string RefreshToken { get; init; }
    public required GoTrueUser User { get; init; }

    public static GoTrueSession From(LocalSession s) => new()
    {
        AccessToken = s.Access.AccessToken, ExpiresIn = s.Access.ExpiresIn, ExpiresAt = s.Access.ExpiresAt.ToUnixTimeSeconds(),
        RefreshToken = s.RefreshToken, User = GoTrueUser.From(s.User),
    };
}
