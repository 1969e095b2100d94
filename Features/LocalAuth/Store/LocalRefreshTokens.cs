using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace IgLive.Service.Features.LocalAuth.Store;

/// <summary>
/// Refresh-token rotation: using a token marks it used and issues its child, derived from it (<see cref="ChildOf"/>). As in
/// Supabase, a used token presented again within 10 s of its use, or while it is the parent of the active token, gets
/// the active token (the same one, so there is only ever one chain); any other reuse is taken as theft and revokes the
/// whole session (<see cref="LocalRefusal.RefreshTokenAlreadyUsed"/>).
/// </summary>
public sealed partial class LocalRefreshTokens(
    NpgsqlDataSource db, LocalTokenIssuer issuer, LocalSigningKeys keys, TimeProvider clock, ILogger<LocalRefreshTokens> log)
{
    /// <summary>How long a used refresh token may be used again (GoTrue's default REFRESH_TOKEN_REUSE_INTERVAL).</summary>
    public static readonly TimeSpan ReuseInterval = TimeSpan.FromSeconds(10);

    /// <summary>How far down its chain a reused token's active successor is looked for.</summary>
    private const int MaxReuseWalk = 16;

    /// <summary>Key deriving a token's child (HKDF of the legacy secret, so the secret itself never leaves JWT signing).</summary>
    private readonly byte[] chainKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.Legacy.Key, 32, info: "iglive local refresh-token chain"u8.ToArray());

    public async Task<LocalGrant> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // FOR UPDATE: of two concurrent uses of one token, the second waits and then sees it used (= reuse).
        var token = await conn.QuerySingleOrDefaultAsync<RefreshTokenRow>(new CommandDefinition(LocalAuthSql.RefreshTokenForUpdate,
            new { TokenHash = LocalAccounts.HashToken(refreshToken) }, tx, cancellationToken: ct));
        if (token is null) return LocalGrant.Refused(LocalRefusal.RefreshTokenNotFound);
        if (token.RevokedAt is not null) // GoTrue deletes a logged-out session's tokens; a reuse-revoked chain stays "used"
            return LocalGrant.Refused(token.RevokedReason == ReuseReason ? LocalRefusal.RefreshTokenAlreadyUsed : LocalRefusal.RefreshTokenNotFound);

        if (token.UsedAt is { } usedAt)
        {
            // Supabase's allowance: a token used moments ago (concurrent refreshes from two tabs) or the parent of the active
            // token (the client lost the answer) gets the session's active token, found by walking down the derived chain.
            if (usedAt >= now - ReuseInterval || !token.ChildUsed)
            {
                var candidate = ChildOf(refreshToken);
                for (var depth = 0; depth < MaxReuseWalk; depth++)
                {
                    var link = await conn.QuerySingleOrDefaultAsync<ChainLink>(new CommandDefinition(LocalAuthSql.TokenInSession,
                        new { TokenHash = LocalAccounts.HashToken(candidate), token.SessionId }, tx, cancellationToken: ct));
                    if (link is null) break; // a child from before derivation: no allowance
                    if (link.UsedAt is null) return await IssueAsync(conn, tx, token, candidate, ct);
                    candidate = ChildOf(candidate);
                }
            }
            await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.RevokeSession,
                new { Id = token.SessionId, Now = now, Reason = ReuseReason }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            Log.ReuseDetected(log, token.SessionId, token.UserId);
            return LocalGrant.Refused(LocalRefusal.RefreshTokenAlreadyUsed);
        }

        var child = ChildOf(refreshToken);
        await conn.ExecuteAsync(new CommandDefinition(LocalAuthSql.Rotate,
            new { token.Id, token.SessionId, TokenHash = LocalAccounts.HashToken(child), Now = now }, tx, cancellationToken: ct));
        return await IssueAsync(conn, tx, token, child, ct);
    }

    private const string ReuseReason = "refresh_token_reuse";

    private async Task<LocalGrant> IssueAsync(NpgsqlConnection conn, NpgsqlTransaction tx, RefreshTokenRow token, string refresh, CancellationToken ct)
    {
        var user = await conn.QuerySingleAsync<LocalUser>(new CommandDefinition(LocalAuthSql.UserById, new { Id = token.UserId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        var access = issuer.Issue(user.Id, user.Email, token.SessionId, user.UserMetadata, token.SessionCreatedAt);
        return LocalGrant.Issued(new LocalSession(access, refresh, token.SessionId, user));
    }

    /// <summary>
    /// The child a refresh token rotates into: HMAC-SHA256 of the parent under <see cref="chainKey"/>. Unguessable without
    /// the secret, and the same every time, so a reuse can be given the existing child.
    /// </summary>
    private string ChildOf(string parent) => Base64Url.EncodeToString(HMACSHA256.HashData(chainKey, Encoding.UTF8.GetBytes(parent)));

    private sealed class ChainLink
    {
        public DateTimeOffset? UsedAt { get; init; }
    }

    private sealed class RefreshTokenRow
    {
        public long Id { get; init; }
        public Guid SessionId { get; init; }
        public DateTimeOffset? UsedAt { get; init; }
        public bool ChildUsed { get; init; }
        public Guid UserId { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public string? RevokedReason { get; init; }
        public DateTimeOffset SessionCreatedAt { get; init; }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Refresh token reuse: revoked session {SessionId} of user {UserId}")]
        public static partial void ReuseDetected(ILogger logger, Guid sessionId, Guid userId);
    }
}
