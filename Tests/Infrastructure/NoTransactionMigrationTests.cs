using System.Text.RegularExpressions;
using Dapper;
using DbUp.Engine;
using IgLive.Service.Infrastructure.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// Scripts marked <c>-- migrate: no-transaction</c> (NoTransactionScripts): built concurrently, in name order with the
/// others, journalled once, and rerun safely after a failed concurrent build left an INVALID index behind. Each test
/// adds its scripts after this build's own on a migrated database of its own.
/// </summary>
[TestFixture]
public sealed partial class NoTransactionMigrationTests
{
    private const string Build = """
        -- migrate: no-transaction
        -- A big existing table's index, built without blocking its writes.
        CREATE INDEX CONCURRENTLY IF NOT EXISTS scratch_k_idx ON scratch (k);
        """;

    [Test]
    public async Task A_marked_script_builds_its_index_concurrently_in_order_and_is_journalled_once()
    {
        await using var db = NpgsqlDataSource.Create(await PostgresFixture.CreateDatabaseAsync());
        var migrator = With(db,
            new SqlScript("migrations/9990_create_scratch.sql", "CREATE TABLE scratch (id int PRIMARY KEY, k int NOT NULL);"),
            new SqlScript("migrations/9991_index_scratch.sql", Build),
            // transactional again, and it needs the index: fails unless 9991 ran before it
            new SqlScript("migrations/9992_comment_scratch_index.sql", "COMMENT ON INDEX scratch_k_idx IS 'built concurrently';"));

        await migrator.MigrateAsync(CancellationToken.None);
        await migrator.MigrateAsync(CancellationToken.None);

        await using var conn = await db.OpenConnectionAsync();
        Assert.That(await IndexAsync(conn), Is.EqualTo((true, false)), "valid, not unique");
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT obj_description('scratch_k_idx'::regclass)"), Is.EqualTo("built concurrently"));
        Assert.That(await conn.QueryAsync<string>("SELECT scriptname FROM schema_migrations WHERE scriptname LIKE 'migrations/999%' ORDER BY 1"),
            Is.EqualTo(new[] { "migrations/9990_create_scratch.sql", "migrations/9991_index_scratch.sql", "migrations/9992_comment_scratch_index.sql" }));
        Assert.That(await migrator.PendingAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task An_invalid_index_left_by_a_failed_concurrent_build_is_dropped_and_built_again()
    {
        await using var db = NpgsqlDataSource.Create(await PostgresFixture.CreateDatabaseAsync());
        await using var conn = await db.OpenConnectionAsync();
        // A concurrent build that fails half-way (here a uniqueness violation; in production a cancelled or killed
        // migration, a deadlock) leaves the index in the catalog, INVALID, under the name the script builds.
        await conn.ExecuteAsync("CREATE TABLE scratch (id int PRIMARY KEY, k int NOT NULL); INSERT INTO scratch SELECT n, n % 10 FROM generate_series(1, 1000) n;");
        await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("CREATE UNIQUE INDEX CONCURRENTLY scratch_k_idx ON scratch (k)"));
        Assert.That(await IndexAsync(conn), Is.EqualTo((false, true)), "the failed build's leftover: invalid (and unique, unlike the script's)");

        var migrator = With(db, new SqlScript("migrations/9991_index_scratch.sql", Build));
        await migrator.MigrateAsync(CancellationToken.None);
        Assert.That(await IndexAsync(conn), Is.EqualTo((true, false)), "dropped and built by the script");

        // A run that built the index but stopped before journalling the script: the rerun is a no-op that journals it.
        await conn.ExecuteAsync("DELETE FROM schema_migrations WHERE scriptname = 'migrations/9991_index_scratch.sql'");
        var oid = await conn.ExecuteScalarAsync<long>("SELECT 'scratch_k_idx'::regclass::oid");
        await migrator.MigrateAsync(CancellationToken.None);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT 'scratch_k_idx'::regclass::oid"), Is.EqualTo(oid), "the valid index is kept");
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE scriptname = 'migrations/9991_index_scratch.sql'"), Is.EqualTo(1));
    }

    [Test]
    public void Concurrent_builds_are_only_in_marked_scripts_and_always_if_not_exists()
    {
        foreach (var script in DatabaseMigrator.Embedded)
        {
            var concurrent = ConcurrentStatement().Matches(script.Contents).Select(m => m.Value).ToList();
            if (!NoTransactionScripts.Is(script))
                Assert.That(concurrent, Is.Empty, $"{script.Name}: CONCURRENTLY cannot run in the script's transaction");
            else
                Assert.That(concurrent.Where(c => c.StartsWith("CREATE", StringComparison.OrdinalIgnoreCase) && !c.Contains("IF NOT EXISTS", StringComparison.OrdinalIgnoreCase)),
                    Is.Empty, $"{script.Name}: a rerun must skip what a previous run built");
        }
        Assert.That(NoTransactionScripts.ConcurrentIndexes(new SqlScript("x", Build)), Is.EqualTo(new[] { "scratch_k_idx" }));
    }

    [Test]
    public async Task Two_instances_migrating_together_finish_when_a_marked_script_is_pending()
    {
        await using var db = NpgsqlDataSource.Create(await PostgresFixture.CreateDatabaseAsync());
        await With(db).MigrateAsync(CancellationToken.None);
        // A holds the lock in 9990 for 2 s; B starts meanwhile and waits for the lock. Then A builds concurrently, which
        // waits for every older snapshot: with B blocked inside pg_advisory_lock (a running statement, a snapshot) the
        // two would wait for each other for good.
        var scripts = new[]
        {
            new SqlScript("migrations/9990_create_scratch.sql", "CREATE TABLE scratch (id int PRIMARY KEY, k int NOT NULL); SELECT pg_sleep(2);"),
            new SqlScript("migrations/9991_index_scratch.sql", Build),
        };
        var a = With(db, scripts).MigrateAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var b = With(db, scripts).MigrateAsync(CancellationToken.None);

        Assert.That(async () => await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(30)), Throws.Nothing, "both migrators finish");
        await using var conn = await db.OpenConnectionAsync();
        Assert.That(await IndexAsync(conn), Is.EqualTo((true, false)));
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE scriptname LIKE 'migrations/999%'"), Is.EqualTo(2));
    }

    private static DatabaseMigrator With(NpgsqlDataSource db, params SqlScript[] extra)
        => new(db, NullLogger<DatabaseMigrator>.Instance) { Scripts = [.. DatabaseMigrator.Embedded, .. extra] };

    private static async Task<(bool Valid, bool Unique)> IndexAsync(NpgsqlConnection conn)
        => await conn.QuerySingleAsync<(bool, bool)>("SELECT indisvalid, indisunique FROM pg_index WHERE indexrelid = 'scratch_k_idx'::regclass");

    [GeneratedRegex(@"\b(CREATE|DROP|REINDEX)\b[^;]*\bCONCURRENTLY\b[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConcurrentStatement();
}
