using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace IgLive.Service.Features.LocalAuth.Store;

/// <summary>
/// The local user store both front doors share (<c>/api/auth/*</c> through <see cref="LocalAuthProvider"/>, and the
/// GoTrue protocol under <c>/auth/v1</c>): users in <c>local_users</c>, one <c>local_sessions</c> row per sign-in,
/// refresh tokens in <c>local_refresh_tokens</c> stored only as SHA-256 hashes (rotation: <see cref="LocalRefreshTokens"/>).
/// </summary>
public sealed partial class LocalAccounts(
    NpgsqlDataSource db, LocalTokenIssuer issuer, LocalPasswordHasher hasher, TimeProvider clock, ILogger<LocalAccounts> log)
{
    /// <summary>
    /// Creates the user (<c>userMetadata</c>: a JSON object, its <c>user_metadata</c>) and its first session;
    /// <c>onCreated</c> runs inside the same transaction.
    /// </summary>
    public async Task<LocalGrant> SignUpAsync(string email, string password, string userMetadata, UserCreatedHook? onCreated, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hash = hasher.Hash(password);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        LocalUser user;
        try
        {
            user = await conn.QuerySingleAsync<LocalUser>(new CommandDefinition(LocalAuthSql.InsertUser, new
            {
                Id = Guid.NewGuid(), Email = NormalizeEmail(email), PasswordHash = hash, UserMetadata = userMetadata, Now = now,
            }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "local_users_email_key" })
        {
            return LocalGrant.Refused(LocalRefusal.EmailTaken);
        }

        if (onCreated is not null) await onCreated(user.Id, conn, tx, ct);
        var session = await StartSessionAsync(conn, tx, user, now, ct);
        await tx.CommitAsync(ct);
        Log.SignedUp(log, user.Id);
        return LocalGrant.Issued(session);
    }

    /// <summary>Password sign-in: a new session, or <see cref="LocalRefusal.InvalidCredentials"/> for an unknown e-mail and a wrong password alike.</summary>
    public async Task<LocalGrant> PasswordGrantAsync(string email, string password, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<UserWithHash>(new CommandDefinition(LocalAuthSql.UserByEmail,
            new { Email = email.Trim() }, cancellationToken: ct));
        if (row is null)
        {
            hasher.VerifyNothing(password); // same time as a wrong password
            return LocalGrant.Refused(LocalRefusal.InvalidCredentials);
        }

        var (ok, rehash) = hasher.Verify(row.PasswordHash, password);
        if (!ok) return LocalGrant.Refused(LocalRefusal.InvalidCredentials);
        if (rehash)
            await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.UpdatePasswordHash, new { row.Id, PasswordHash = hasher.Hash(password) }, cancellationToken: ct));

        var user = new LocalUser { Id = row.Id, Email = row.Email, UserMetadata = row.UserMetadata, CreatedAt = row.CreatedAt, UpdatedAt = row.UpdatedAt };
        return LocalGrant.Issued(await StartSessionAsync(conn, null, user, clock.GetUtcNow(), ct));
    }

    /// <summary>Ends sessions of the user (<paramref name="scope"/>); without a session id, all of them, as GoTrue.</summary>
    public async Task LogOutAsync(Guid userId, Guid? sessionId, LogoutScope scope, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        if (sessionId is { } id && scope == LogoutScope.Local)
            await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.RevokeOwnSession, new { Id = id, UserId = userId, Now = now, Reason = "logout" }, cancellationToken: ct));
        else
            await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.RevokeUserSessions, new
            {
                UserId = userId, ExceptId = scope == LogoutScope.Others ? sessionId : null, Now = now, Reason = "logout",
            }, cancellationToken: ct));
    }

    /// <summary>Whether the session of a token is still live (GoTrue refuses a token of an ended session on /user, /logout).</summary>
    public async Task<bool> SessionActiveAsync(Guid userId, Guid sessionId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(LocalAuthSql.SessionActive, new { Id = sessionId, UserId = userId }, cancellationToken: ct));
    }

    public async Task<LocalUser?> FindUserAsync(Guid userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<LocalUser>(new CommandDefinition(LocalAuthSql.UserById, new { Id = userId }, cancellationToken: ct));
    }

    /// <summary>
    /// Sets a new password and/or merges <paramref name="metadataPatch"/> (a JSON object) into <c>user_metadata</c>. A new
    /// password ends the user's other sessions, as GoTrue does; the same password again is <see cref="LocalRefusal.SamePassword"/>.
    /// </summary>
    public async Task<(LocalUser? User, LocalRefusal? Refusal)> UpdateUserAsync(Guid userId, Guid? sessionId, string? newPassword, string? metadataPatch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        string? hash = null;
        if (newPassword is not null)
        {
            var current = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(LocalAuthSql.PasswordHash, new { Id = userId }, cancellationToken: ct));
            if (current is null) return (null, LocalRefusal.UserNotFound);
            if (hasher.Verify(current, newPassword).Ok) return (null, LocalRefusal.SamePassword);
            hash = hasher.Hash(newPassword);
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        var user = await conn.QuerySingleOrDefaultAsync<LocalUser>(new CommandDefinition(LocalAuthSql.UpdateUser,
            new { Id = userId, PasswordHash = hash, Data = metadataPatch, Now = now }, tx, cancellationToken: ct));
        if (user is null) return (null, LocalRefusal.UserNotFound);
        if (hash is not null)
        {
            await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.RevokeUserSessions,
                new { UserId = userId, ExceptId = sessionId, Now = now, Reason = "password_changed" }, tx, cancellationToken: ct));
            Log.PasswordChanged(log, userId);
        }
        await tx.CommitAsync(ct);
        return (user, null);
    }

    private async Task<LocalSession> StartSessionAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, LocalUser user, DateTimeOffset now, CancellationToken ct)
    {
        var sessionId = Guid.NewGuid();
        var refresh = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)); // 256 random bits, 43 characters
        await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.StartSession,
            new { SessionId = sessionId, UserId = user.Id, TokenHash = HashToken(refresh), Now = now }, tx, cancellationToken: ct));
        var signedIn = new LocalUser
        {
            Id = user.Id, Email = user.Email, UserMetadata = user.UserMetadata, CreatedAt = user.CreatedAt, UpdatedAt = user.UpdatedAt, LastSignInAt = now,
        };
        return new LocalSession(issuer.Issue(user.Id, user.Email, sessionId, user.UserMetadata, now), refresh, sessionId, signedIn);
    }

    /// <summary>Refresh tokens are stored only as this hash.</summary>
    public static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>As GoTrue stores and returns e-mail addresses: trimmed, lower-case.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    private sealed class UserWithHash
    {
        public Guid Id { get; init; }
        public string Email { get; init; } = "";
        public string UserMetadata { get; init; } = "{}";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string PasswordHash { get; init; } = "";
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "User {UserId} signed up")]
        public static partial void SignedUp(ILogger logger, Guid userId);

        [LoggerMessage(LogLevel.Information, "User {UserId} changed their password; their other sessions were ended")]
        public static partial void PasswordChanged(ILogger logger, Guid userId);
    }
}
