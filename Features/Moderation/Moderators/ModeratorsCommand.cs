using IgLive.Service.Features.Moderation.AuditLog;

namespace IgLive.Service.Features.Moderation.Moderators;

/// <summary>
/// <c>dotnet IgLive.Service.dll moderators add|remove|list [username]</c>: manages who may work the moderation queue,
/// against the configured database (migrated). Adding and removing are written to the audit log as <c>cli</c>.
/// Exit codes: 0 done (also when nothing had to change), 1 unknown user, 2 bad usage.
/// </summary>
public static class ModeratorsCommand
{
    public const string Usage = "usage: moderators add <username> | moderators remove <username> | moderators list";
    private static readonly Moderator Cli = new(null, "cli");

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var db = services.GetRequiredService<NpgsqlDataSource>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        switch (args)
        {
            case ["list"]:
                await using (var conn = await db.OpenConnectionAsync(ct))
                {
                    var rows = await conn.QueryAsync<(string Username, DateTime AddedAt)>(new CommandDefinition(ModeratorsCommandSql.List, cancellationToken: ct));
                    foreach (var (username, addedAt) in rows) await stdout.WriteLineAsync($"{username}\tadded {addedAt:yyyy-MM-ddTHH:mm:ssZ}");
                }
                return 0;
            case ["add" or "remove", var username]:
                return await ChangeAsync(db, args[0] == "add", username, now, stdout, stderr, ct);
            default:
                await stderr.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> ChangeAsync(NpgsqlDataSource db, bool add, string username, DateTimeOffset now, TextWriter stdout,
        TextWriter stderr, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var userId = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(ModeratorsCommandSql.UserId,
            new { Username = username.TrimStart('@') }, tx, cancellationToken: ct));
        if (userId is not { } id)
        {
            await stderr.WriteLineAsync($"moderators: no user @{username.TrimStart('@')}");
            return 1;
        }
        var changed = await conn.ExecuteAsync(new CommandDefinition(add ? ModeratorsCommandSql.Add : ModeratorsCommandSql.Remove,
            new { Id = id, Now = now }, tx, cancellationToken: ct)) == 1;
        if (changed)
            await AuditLogWriter.AppendAsync(conn, tx, new AuditEntry(Cli, add ? ModerationActions.AddModerator : ModerationActions.RemoveModerator,
                null, "user", id, null), now, ct);
        await tx.CommitAsync(ct);
        var name = username.TrimStart('@').ToLowerInvariant();
        await stdout.WriteLineAsync((add, changed) switch
        {
            (true, true) => $"moderators: @{name} is now a moderator",
            (true, false) => $"moderators: @{name} already is a moderator",
            (false, true) => $"moderators: @{name} is no longer a moderator",
            _ => $"moderators: @{name} was not a moderator",
        });
        return 0;
    }
}

internal static class ModeratorsCommandSql
{
    // The moderators with their usernames, alphabetically (moderators is small: sequential scan, profiles_pkey).
    public const string List = """
        SELECT p.username, m.added_at FROM moderators m JOIN profiles p ON p.id = m.user_id ORDER BY p.username
        """;

    // A user's id by username (profiles_username_key).
    public const string UserId = "SELECT id FROM profiles WHERE lower(username) = lower(@Username)";

    // 1 when added, 0 when already a moderator (moderators_pkey).
    public const string Add = "INSERT INTO moderators (user_id, added_at) VALUES (@Id, @Now) ON CONFLICT DO NOTHING";

    // 1 when removed, 0 when not a moderator (moderators_pkey).
    public const string Remove = "DELETE FROM moderators WHERE user_id = @Id";
}
