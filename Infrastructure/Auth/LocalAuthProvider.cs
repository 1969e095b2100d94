using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// <c>Auth:Mode=Local</c>: users in <c>local_users</c>, one <c>local_sessions</c> row per login, refresh tokens in
/// <c>local_refresh_tokens</c> stored only as SHA-256 hashes. A refresh token rotates: using it marks it used and
/// issues its child, derived from it (<see cref="ChildOf"/>). As in Supabase, a used token presented again within 10 s
/// of its use, or while it is the parent of the active token, gets the active token (the same one, so there is only
/// ever one chain); any other reuse is taken as theft and revokes the whole session.
/// </summary>
public sealed partial class LocalAuthProvider(
    NpgsqlDataSource db, LocalTokenIssuer issuer, LocalSigningKey signingKey, LocalPasswordHasher hasher, TimeProvider clock,
    ILogger<LocalAuthProvider> log)
    : IAuthProvider
{
    /// <summary>How long a used refresh token may be used again (GoTrue's default REFRESH_TOKEN_REUSE_INTERVAL).</summary>
    public static readonly TimeSpan ReuseInterval = TimeSpan.FromSeconds(10);

    /// <summary>How far down its chain a reused token's active successor is looked for.</summary>
    private const int MaxReuseWalk = 16;

    public async Task<AuthOutcome> SignUpAsync(SignUpCommand command, UserCreatedHook onCreated, CancellationToken ct)
    {
        var userId = Guid.NewGuid();
        var email = command.Email.Trim().ToLowerInvariant(); // as GoTrue stores and returns it
        var hash = hasher.Hash(command.Password);
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.InsertUser,
                new { Id = userId, Email = email, PasswordHash = hash, Now = now }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "local_users_email_key" })
        {
            return new AuthRefused(AuthRefusal.EmailTaken);
        }

        await onCreated(userId, conn, tx, ct);
        var session = await StartSessionAsync(conn, tx, new AuthUser(userId, email), now, ct);
        await tx.CommitAsync(ct);
        Log.SignedUp(log, userId);
        return new AuthSessionIssued(session);
    }

    public async Task<AuthOutcome> LogInAsync(string email, string password, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var user = await conn.QuerySingleOrDefaultAsync<LocalUserRow>(new CommandDefinition(LocalAuthSql.UserByEmail, new { Email = email }, cancellationToken: ct));
        if (user is null)
        {
            hasher.VerifyNothing(password);
            return new AuthRefused(AuthRefusal.InvalidCredentials);
        }

        var (ok, rehash) = hasher.Verify(user.PasswordHash, password);
        if (!ok) return new AuthRefused(AuthRefusal.InvalidCredentials);
        if (rehash)
            await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.UpdatePasswordHash, new { user.Id, PasswordHash = hasher.Hash(password) }, cancellationToken: ct));

        var session = await StartSessionAsync(conn, null, new AuthUser(user.Id, user.Email), clock.GetUtcNow(), ct);
        return new AuthSessionIssued(session);
    }

    public async Task<AuthOutcome> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // FOR UPDATE: of two concurrent uses of one token, the second waits and then sees it used (= reuse).
        var token = await conn.QuerySingleOrDefaultAsync<RefreshTokenRow>(new CommandDefinition(LocalAuthSql.RefreshTokenForUpdate,
            new { TokenHash = HashToken(refreshToken) }, tx, cancellationToken: ct));
        if (token is null || token.RevokedAt is not null) return new AuthRefused(AuthRefusal.InvalidRefreshToken);

        if (token.UsedAt is { } usedAt)
        {
            // Supabase's allowance (GoTrue's REFRESH_TOKEN_REUSE_INTERVAL, 10 s): a token used moments ago (concurrent
            // refreshes from two tabs) or the parent of the active token (the client lost the answer) may be used again,
            // and gets the session's active token — the same one, never a second chain. Children are derived from their
            // parent (ChildOf), so the active token is found by walking down the chain from the presented one.
            if (usedAt >= now - ReuseInterval || !token.ChildUsed)
            {
                var candidate = ChildOf(refreshToken);
                for (var depth = 0; depth < MaxReuseWalk; depth++)
                {
                    var link = await conn.QuerySingleOrDefaultAsync<ChainLink>(new CommandDefinition(LocalAuthSql.TokenInSession,
                        new { TokenHash = HashToken(candidate), token.SessionId }, tx, cancellationToken: ct));
                    if (link is null) break; // a child from before derivation: no allowance
                    if (link.UsedAt is null)
                    {
                        await tx.CommitAsync(ct);
                        return new AuthSessionIssued(Session(new AuthUser(token.UserId, token.Email), token.SessionId, candidate));
                    }
                    candidate = ChildOf(candidate);
                }
            }
            await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.RevokeSession,
                new { Id = token.SessionId, Now = now, Reason = "refresh_token_reuse" }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            Log.ReuseDetected(log, token.SessionId, token.UserId);
            return new AuthRefused(AuthRefusal.InvalidRefreshToken);
        }

        var child = ChildOf(refreshToken);
        await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.Rotate,
            new { token.Id, token.SessionId, TokenHash = HashToken(child), Now = now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new AuthSessionIssued(Session(new AuthUser(token.UserId, token.Email), token.SessionId, child));
    }

    public async Task<AuthRefused?> LogOutAsync(AuthCaller caller, CancellationToken ct)
    {
        if (caller.SessionId is not { } sessionId) return null; // a token without a session has nothing to revoke
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.RevokeOwnSession,
            new { Id = sessionId, caller.UserId, Now = clock.GetUtcNow(), Reason = "logout" }, cancellationToken: ct));
        return null;
    }

    private async Task<AuthSession> StartSessionAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, AuthUser user, DateTimeOffset now, CancellationToken ct)
    {
        var sessionId = Guid.NewGuid();
        var refresh = NewRefreshToken();
        await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.StartSession,
            new { SessionId = sessionId, UserId = user.Id, TokenHash = HashToken(refresh), Now = now }, tx, cancellationToken: ct));
        return Session(user, sessionId, refresh);
    }

    private AuthSession Session(AuthUser user, Guid sessionId, string refreshToken)
    {
        var access = issuer.Issue(user.Id, user.Email, sessionId);
        return new AuthSession(access.AccessToken, access.ExpiresIn, access.ExpiresAt, refreshToken, user);
    }

    /// <summary>256 random bits, base64url (43 characters), like an opaque Supabase refresh token but unguessable.</summary>
    private static string NewRefreshToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>
    /// The child a refresh token rotates into: HMAC-SHA256 of the parent under a key derived (HKDF) from the signing
    /// secret. Unguessable without the secret, and the same every time, so a reuse can be given the existing child.
    /// </summary>
    private string ChildOf(string parent)
        => Base64Url.EncodeToString(HMACSHA256.HashData(signingKey.RefreshChainKey, Encoding.UTF8.GetBytes(parent)));

    private sealed class ChainLink
    {
        public DateTimeOffset? UsedAt { get; init; }
    }

    private sealed class LocalUserRow
    {
        public Guid Id { get; init; }
        public string Email { get; init; } = "";
        public string PasswordHash { get; init; } = "";
    }

    private sealed class RefreshTokenRow
    {
        public long Id { get; init; }
        public Guid SessionId { get; init; }
        public DateTimeOffset? UsedAt { get; init; }
        public bool ChildUsed { get; init; }
        public Guid UserId { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public string Email { get; init; } = "";
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "User {UserId} signed up")]
        public static partial void SignedUp(ILogger logger, Guid userId);

        [LoggerMessage(LogLevel.Warning, "Refresh token reuse: revoked session {SessionId} of user {UserId}")]
        public static partial void ReuseDetected(ILogger logger, Guid sessionId, Guid userId);
    }
}

internal static class LocalAuthSql
{
    // Inserts a user; local_users_email_key (lower(email)) refuses a taken e-mail.
    public const string InsertUser = """
        INSERT INTO local_users (id, email, password_hash, created_at, last_sign_in_at) VALUES (@Id, @Email, @PasswordHash, @Now, @Now)
        """;

    // The user with this e-mail, any case; local_users_email_key.
    public const string UserByEmail = "SELECT id, email, password_hash FROM local_users WHERE lower(email) = lower(@Email)";

    // Replaces a hash made with an older iteration count; local_users_pkey.
    public const string UpdatePasswordHash = "UPDATE local_users SET password_hash = @PasswordHash WHERE id = @Id";

    // New session + its first refresh token + last sign-in, in one statement (FK checks run at its end); primary keys.
    public const string StartSession = """
        WITH s AS (INSERT INTO local_sessions (id, user_id, created_at) VALUES (@SessionId, @UserId, @Now)),
             t AS (INSERT INTO local_refresh_tokens (session_id, token_hash, created_at) VALUES (@SessionId, @TokenHash, @Now))
        UPDATE local_users SET last_sign_in_at = @Now WHERE id = @UserId
        """;

    // The token (locked), its session and user, and whether a child of it was used already; local_refresh_tokens_hash_key,
    // then primary keys and local_refresh_tokens_parent_idx.
    public const string RefreshTokenForUpdate = """
        SELECT t.id, t.session_id, t.used_at, s.user_id, s.revoked_at, u.email,
               EXISTS (SELECT 1 FROM local_refresh_tokens c WHERE c.parent_id = t.id AND c.used_at IS NOT NULL) AS child_used
        FROM local_refresh_tokens t
        JOIN local_sessions s ON s.id = t.session_id
        JOIN local_users u ON u.id = s.user_id
        WHERE t.token_hash = @TokenHash
        FOR UPDATE OF t
        """;

    // Uses the token up and inserts its child, in one statement; primary keys.
    public const string Rotate = """
        WITH used AS (UPDATE local_refresh_tokens SET used_at = @Now WHERE id = @Id),
             s AS (UPDATE local_sessions SET refreshed_at = @Now WHERE id = @SessionId)
        INSERT INTO local_refresh_tokens (session_id, token_hash, parent_id, created_at) VALUES (@SessionId, @TokenHash, @Id, @Now)
        """;

    // A token of this session by hash, and whether it was used (the reuse allowance's walk); local_refresh_tokens_hash_key.
    public const string TokenInSession =
        "SELECT used_at FROM local_refresh_tokens WHERE token_hash = @TokenHash AND session_id = @SessionId";

    // Revokes a session (all its refresh tokens stop working: refresh checks revoked_at); local_sessions_pkey.
    public const string RevokeSession = """
        UPDATE local_sessions SET revoked_at = @Now, revoked_reason = @Reason WHERE id = @Id AND revoked_at IS NULL
        """;

    // Same, only when the session belongs to the caller; local_sessions_pkey.
    public const string RevokeOwnSession = """
        UPDATE local_sessions SET revoked_at = @Now, revoked_reason = @Reason WHERE id = @Id AND user_id = @UserId AND revoked_at IS NULL
        """;
}
