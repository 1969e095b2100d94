using IgLive.Service.Features.Graph.Pairs;

namespace IgLive.Service.Features.Graph.BlockUser;

public sealed record BlockUserRequest
{
    /// <summary>The user to block or unblock (case-insensitive).</summary>
    public string Username { get; init; } = "";
}

/// <summary>PUT: block, idempotent; removes follows both ways (lock + operation, <see cref="PairStatement"/>).</summary>
public sealed class BlockUserEndpoint(NpgsqlDataSource db, TimeProvider clock) : PairActionEndpoint<BlockUserRequest>
{
    public override void Configure() => ConfigurePairAction(Http.PUT, "block", "Block a user (idempotent)",
        "Neither user sees the other anywhere afterwards; follows between them are removed both ways.", 400, 401, 404);

    public override async Task HandleAsync(BlockUserRequest r, CancellationToken ct)
    {
        var viewer = User.RequiredUserId();
        await using var conn = await db.OpenConnectionAsync(ct);
        var self = await PairStatement.RunAsync<object>(conn, BlockUserSql.Block, viewer, r.Username, clock.GetUtcNow(),
            static row => row.GetBoolean(0), ct);
        await Send.ResultAsync(self switch
        {
            null => ProblemsExtensions.Problem(404, $"No user is named '{r.Username}'."),
            true => ProblemsExtensions.Problem(400, "You cannot block yourself."),
            _ => TypedResults.NoContent(),
        });
    }
}

/// <summary>DELETE: unblock, idempotent (follows removed by the block are not restored).</summary>
public sealed class UnblockUserEndpoint(NpgsqlDataSource db) : PairActionEndpoint<BlockUserRequest>
{
    public override void Configure() => ConfigurePairAction(Http.DELETE, "block", "Unblock a user (idempotent)", null, 401, 404);

    public override async Task HandleAsync(BlockUserRequest r, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var found = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(BlockUserSql.Unblock,
            new { Viewer = User.UserId(), r.Username }, cancellationToken: ct));
        await Send.ResultAsync(found ? TypedResults.NoContent() : ProblemsExtensions.Problem(404, $"No user is named '{r.Username}'."));
    }
}

internal static class BlockUserSql
{
    // Blocks (no-op when already blocked or yourself), deletes follows both ways and moves both users' counters by the
    // rows deleted, in one UPDATE per profile (two UPDATEs of one row in one statement would lose one); returns self,
    // no row for an unknown username. profiles_username_key, user_blocks_pkey, user_follows_pkey (BitmapOr), profiles_pkey.
    public const string Block = """
        WITH target AS (SELECT p.id FROM profiles p WHERE lower(p.username) = lower(@Username)),
             blk AS (INSERT INTO user_blocks (blocker_id, blocked_id, created_at)
                     SELECT @Viewer, t.id, @Now FROM target t WHERE t.id <> @Viewer
                     ON CONFLICT DO NOTHING),
             del AS (DELETE FROM user_follows f USING target t
                     WHERE t.id <> @Viewer
                       AND ((f.follower_id = @Viewer AND f.followee_id = t.id) OR (f.follower_id = t.id AND f.followee_id = @Viewer))
                     RETURNING f.follower_id, f.followee_id),
             moved AS (SELECT id, sum(following) AS following, sum(followers) AS followers
                       FROM (SELECT follower_id AS id, 1 AS following, 0 AS followers FROM del
                             UNION ALL
                             SELECT followee_id, 0, 1 FROM del) x
                       GROUP BY id),
             counted AS (UPDATE profiles p SET following_count = p.following_count - m.following,
                                               followers_count = p.followers_count - m.followers
                         FROM moved m WHERE p.id = m.id)
        SELECT t.id = @Viewer AS self FROM target t
        """;

    // Unblocks; true when the user exists. profiles_username_key, user_blocks_pkey.
    public const string Unblock = """
        WITH target AS (SELECT p.id FROM profiles p WHERE lower(p.username) = lower(@Username)),
             del AS (DELETE FROM user_blocks b USING target t WHERE b.blocker_id = @Viewer AND b.blocked_id = t.id)
        SELECT EXISTS (SELECT 1 FROM target)
        """;
}
