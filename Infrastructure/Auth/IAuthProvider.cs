using Npgsql;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// Where users, passwords and sessions live: this service's database (Features/LocalAuth's LocalAuthProvider,
/// <c>Auth:Mode=Local</c>) or Supabase Auth (<see cref="SupabaseAuthClient"/>, <c>Auth:Mode=Supabase</c>).
/// Expected refusals are returned as <see cref="AuthRefused"/>; an upstream that fails throws
/// <see cref="Problems.UpstreamException"/>. No business rules here: the features decide usernames and profiles.
/// </summary>
public interface IAuthProvider
{
    /// <summary>
    /// Creates the user. When a session results, <paramref name="onCreated"/> runs before the call returns: in local mode
    /// inside the transaction that inserts the user (so an exception from it undoes the sign-up), in Supabase mode on
    /// a fresh connection after Supabase created the user.
    /// </summary>
    Task<AuthOutcome> SignUpAsync(SignUpCommand command, UserCreatedHook onCreated, CancellationToken ct);

    Task<AuthOutcome> LogInAsync(string email, string password, CancellationToken ct);

    /// <summary>Exchanges a refresh token for a new session; the presented token is used up.</summary>
    Task<AuthOutcome> RefreshAsync(string refreshToken, CancellationToken ct);

    /// <summary>Revokes the caller's session (its refresh tokens stop working). Null when done.</summary>
    Task<AuthRefused?> LogOutAsync(AuthCaller caller, CancellationToken ct);
}

/// <summary>Runs when a sign-up created a user; <paramref name="transaction"/> is null in Supabase mode.</summary>
public delegate Task UserCreatedHook(Guid userId, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct);

/// <param name="Email">As entered (uniqueness is case-insensitive).</param>
/// <param name="Password">Never logged.</param>
/// <param name="UserMetadata">Stored as the user's <c>user_metadata</c> where the provider keeps it (Supabase).</param>
public sealed record SignUpCommand(string Email, string Password, IReadOnlyDictionary<string, string> UserMetadata);

/// <summary>The authenticated caller of logout: ids from the verified token, and the raw token for Supabase.</summary>
public sealed record AuthCaller(Guid UserId, Guid? SessionId, string AccessToken);

public sealed record AuthUser(Guid Id, string Email);

/// <summary>A Supabase-shaped session: access token, its lifetime, a single-use refresh token and the user.</summary>
public sealed record AuthSession(string AccessToken, int ExpiresIn, DateTimeOffset ExpiresAt, string RefreshToken, AuthUser User);

public abstract record AuthOutcome;

public sealed record AuthSessionIssued(AuthSession Session) : AuthOutcome;

/// <summary>Supabase created the user but requires e-mail confirmation before it issues a session.</summary>
public sealed record AuthConfirmationRequired(AuthUser User) : AuthOutcome;

/// <param name="Reason">What went wrong, for the feature to answer with the right status.</param>
/// <param name="RetryAfter">Only for <see cref="AuthRefusal.RateLimited"/>.</param>
public sealed record AuthRefused(AuthRefusal Reason, TimeSpan? RetryAfter = null) : AuthOutcome;

public enum AuthRefusal
{
    /// <summary>An account with this e-mail exists.</summary>
    EmailTaken,
    /// <summary>Unknown e-mail or wrong password (never told apart).</summary>
    InvalidCredentials,
    /// <summary>Unknown, used, revoked or otherwise dead refresh token.</summary>
    InvalidRefreshToken,
    /// <summary>The provider's password policy refused the password.</summary>
    WeakPassword,
    /// <summary>Supabase: the e-mail address has not been confirmed yet.</summary>
    EmailNotConfirmed,
    /// <summary>The provider rate-limited us (see <see cref="AuthRefused.RetryAfter"/>).</summary>
    RateLimited,
    /// <summary>Supabase: sign-ups are disabled for the project.</summary>
    SignUpDisabled,
}
