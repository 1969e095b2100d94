using System.Text.RegularExpressions;
using DbUp.Engine;
using Npgsql;

namespace IgLive.Service.Infrastructure.Database;

/// <summary>
/// Migrations that must run outside a transaction: an index on a big existing table built with
/// <c>CREATE INDEX CONCURRENTLY IF NOT EXISTS name ON …</c>, which takes no lock that blocks the table's writes (a plain
/// CREATE INDEX holds a SHARE lock, i.e. no INSERT/UPDATE/DELETE, for the whole build and, in a transaction, until the
/// script commits). Such a script starts with <see cref="Marker"/>; DbUp then runs it statement by statement in
/// autocommit (it splits a script on <c>;</c> outside quotes and dollar quotes). It must be safe to rerun from its start:
/// a failure leaves the statements before it done and the script unjournalled. A concurrent build that fails leaves its
/// index INVALID (never used by queries, still maintained by every write), which IF NOT EXISTS would then keep for
/// good: <see cref="DropInvalidIndexesAsync"/> drops such leftovers before the script runs again (docs/operations.md,
/// "Migrations").
/// </summary>
internal static partial class NoTransactionScripts
{
    /// <summary>First line of a script that must run outside a transaction.</summary>
    public const string Marker = "-- migrate: no-transaction";

    public static bool Is(SqlScript script) => new StringReader(script.Contents).ReadLine()?.Trim() == Marker;

    /// <summary>Index names the script builds with CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS (unquoted, maybe schema-qualified).</summary>
    public static IEnumerable<string> ConcurrentIndexes(SqlScript script)
        => ConcurrentIndexPattern().Matches(script.Contents).Select(m => m.Groups["name"].Value);

    /// <summary>
    /// Drops, with DROP INDEX CONCURRENTLY (no lock that blocks reads or writes of the table), each INVALID index that
    /// <paramref name="script"/> builds; returns their names. Call it under the migration lock for a pending script
    /// only, so no other migrator is building them at that moment.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DropInvalidIndexesAsync(NpgsqlConnection conn, SqlScript script, CancellationToken ct)
    {
        var dropped = new List<string>();
        foreach (var name in ConcurrentIndexes(script))
        {
            await using var find = new NpgsqlCommand(
                "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indexrelid = to_regclass(@name) AND NOT i.indisvalid", conn);
            find.Parameters.AddWithValue("name", name);
            if (await find.ExecuteScalarAsync(ct) is not string invalid) continue;
            // regclass::text is the index's name, schema-qualified and quoted where needed: safe to put in the statement
            await using var drop = new NpgsqlCommand($"DROP INDEX CONCURRENTLY IF EXISTS {invalid}", conn) { CommandTimeout = 0 };
            await drop.ExecuteNonQueryAsync(ct);
            dropped.Add(invalid);
        }
        return dropped;
    }

    [GeneratedRegex(@"\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+IF\s+NOT\s+EXISTS\s+(?<name>[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConcurrentIndexPattern();
}
