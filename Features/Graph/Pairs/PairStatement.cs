namespace IgLive.Service.Features.Graph.Pairs;

/// <summary>
/// Follow, unfollow and block change rows of a pair of users and both users' counters. Each is sent as one batch (one
/// round trip, one implicit transaction): <see cref="LockPair"/>, then the operation. Under READ COMMITTED the operation's
/// snapshot is taken when it starts, after the lock: it sees every follow or block committed by whoever held the pair
/// before, so a follow racing a block can never survive it, and counters move by the rows actually changed.
/// Parameters: @Viewer (the caller), @Username (the other user), @Now.
/// </summary>
internal static class PairStatement
{
    // Locks the caller's and the other user's profile rows in id order (no deadlock between two callers locking the
    // same pair from each side); profiles_pkey and profiles_username_key, BitmapOr.
    public const string LockPair =
        "SELECT 1 FROM profiles WHERE id = @Viewer OR lower(username) = lower(@Username) ORDER BY id FOR NO KEY UPDATE";

    /// <summary>Runs lock + <paramref name="operation"/>; null when the operation returned no row (no such user).</summary>
    public static async Task<T?> RunAsync<T>(NpgsqlConnection conn, string operation, Guid viewer, string username, DateTimeOffset now,
        Func<NpgsqlDataReader, T> read, CancellationToken ct) where T : class
    {
        await using var batch = new NpgsqlBatch(conn);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LockPair)
        {
            Parameters = { new NpgsqlParameter<Guid>("Viewer", viewer), new NpgsqlParameter<string>("Username", username) },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(operation)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid>("Viewer", viewer),
                new NpgsqlParameter<string>("Username", username),
                new NpgsqlParameter<DateTimeOffset>("Now", now),
            },
        });
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await reader.NextResultAsync(ct) && await reader.ReadAsync(ct) ? read(reader) : null;
    }
}
