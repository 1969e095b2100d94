using IgLive.Service.Features.Graph.Pairs;

namespace IgLive.Service.Features.Graph.MuteUser;

public sealed record MuteUserRequest
{
    /// <summary>The user to mute or unmute (case-insensitive).</summary>
    public string Username { get; init; } = "";
}

/// <summary>PUT: mute (idempotent). Muting only silences notifications (user_mutes, read by the notifications area).</summary>
public sealed class MuteUserEndpoint(NpgsqlDataSource db, TimeProvider clock) : PairActionEndpoint<MuteUserRequest>
{
    public override void Configure() => ConfigurePairAction(Http.PUT, "mute", "Mute a user (idempotent)",
        "A muted user's actions never notify the caller; nothing else changes (follows, visibility).", 400, 401, 404);

    public override async Task HandleAsync(MuteUserRequest r, CancellationToken ct)
        => await Send.ResultAsync(await MuteUserSql.RunAsync(db, MuteUserSql.Mute, User.UserId(), r.Username, clock.GetUtcNow(), ct));
}

/// <summary>DELETE: unmute (idempotent).</summary>
public sealed class UnmuteUserEndpoint(NpgsqlDataSource db, TimeProvider clock) : PairActionEndpoint<MuteUserRequest>
{
    public override void Configure() => ConfigurePairAction(Http.DELETE, "mute", "Unmute a user (idempotent)", null, 400, 401, 404);

    public override async Task HandleAsync(MuteUserRequest r, CancellationToken ct)
        => await Send.ResultAsync(await MuteUserSql.RunAsync(db, MuteUserSql.Unmute, User.UserId(), r.Username, clock.GetUtcNow(), ct));
}

internal static class MuteUserSql
{
    private const string Target = "target AS (SELECT p.id FROM profiles p WHERE lower(p.username) = lower(@Username))";

    // Mutes (no-op when muted or yourself); returns self, no row for an unknown username. profiles_username_key, user_mutes_pkey.
    public const string Mute = $"""
        WITH {Target},
             ins AS (INSERT INTO user_mutes (muter_id, muted_id, created_at) SELECT @Viewer, t.id, @Now FROM target t
                     WHERE t.id <> @Viewer ON CONFLICT DO NOTHING)
        SELECT t.id = @Viewer FROM target t
        """;

    // Unmutes; returns self, no row for an unknown username. profiles_username_key, user_mutes_pkey.
    public const string Unmute = $"""
        WITH {Target},
             del AS (DELETE FROM user_mutes m USING target t WHERE m.muter_id = @Viewer AND m.muted_id = t.id)
        SELECT t.id = @Viewer FROM target t
        """;

    public static async Task<IResult> RunAsync(NpgsqlDataSource db, string sql, Guid? viewer, string username, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var self = await conn.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(sql, new { Viewer = viewer, Username = username, Now = now },
            cancellationToken: ct));
        return self switch
        {
            null => ProblemsExtensions.Problem(404, $"No user is named '{username}'."),
            true => ProblemsExtensions.Problem(400, "You cannot mute yourself."),
            _ => TypedResults.NoContent(),
        };
    }
}
