using System.Text.Json;

namespace IgLive.Service.Features.LocalAuth.Store;

/// <summary>
/// <c>Auth:Mode=Local</c> behind the <c>/api/auth/*</c> routes: the same user store and sessions as the GoTrue routes
/// under <c>/auth/v1</c> (<see cref="LocalAccounts"/>, <see cref="LocalRefreshTokens"/>), answered as
/// <see cref="IAuthProvider"/> outcomes.
/// </summary>
public sealed class LocalAuthProvider(LocalAccounts accounts, LocalRefreshTokens refreshTokens) : IAuthProvider
{
    public async Task<AuthOutcome> SignUpAsync(SignUpCommand command, UserCreatedHook onCreated, CancellationToken ct)
        => Outcome(await accounts.SignUpAsync(command.Email, command.Password, JsonSerializer.Serialize(command.UserMetadata), onCreated, ct));

    public async Task<AuthOutcome> LogInAsync(string email, string password, CancellationToken ct)
        => Outcome(await accounts.PasswordGrantAsync(email, password, ct));

    public async Task<AuthOutcome> RefreshAsync(string refreshToken, CancellationToken ct)
        => Outcome(await refreshTokens.RefreshAsync(refreshToken, ct));

    public async Task<AuthRefused?> LogOutAsync(AuthCaller caller, CancellationToken ct)
    {
        if (caller.SessionId is not { } sessionId) return null; // a token without a session has nothing to revoke
        await accounts.LogOutAsync(caller.UserId, sessionId, LogoutScope.Local, ct);
        return null;
    }

    private static AuthOutcome Outcome(LocalGrant grant) => grant switch
    {
        { Session: { } s } => new AuthSessionIssued(new AuthSession(s.Access.AccessToken, s.Access.ExpiresIn, s.Access.ExpiresAt, s.RefreshToken,
            new AuthUser(s.User.Id, s.User.Email))),
        { Refusal: LocalRefusal.EmailTaken } => new AuthRefused(AuthRefusal.EmailTaken),
        { Refusal: LocalRefusal.InvalidCredentials } => new AuthRefused(AuthRefusal.InvalidCredentials),
        _ => new AuthRefused(AuthRefusal.InvalidRefreshToken),
    };
}
