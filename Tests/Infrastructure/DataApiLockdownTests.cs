using Dapper;
using IgLive.Service.Infrastructure.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// A database migrated where Supabase's Data API roles exist with Supabase's default grants: neither <c>anon</c> nor
/// <c>authenticated</c> can read (or write) any table, including tables later migrations add.
/// </summary>
[TestFixture]
public sealed class DataApiLockdownTests
{
    private static readonly string[] ApiRoles = ["anon", "authenticated"];

    /// <summary>Supabase's roles and the default privileges its projects give them on <c>public</c>.</summary>
    private const string SupabaseDefaults = """
        DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
        DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
        GRANT USAGE ON SCHEMA public TO anon, authenticated;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated;
        """;

    [Test]
    public async Task Supabase_api_roles_cannot_read_any_table_of_a_migrated_database()
    {
        var cs = await PostgresFixture.CreateEmptyDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(cs);
        await using (var conn = await db.OpenConnectionAsync()) await conn.ExecuteAsync(SupabaseDefaults);

        await new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);

        await using var check = await db.OpenConnectionAsync();
        var tables = (await check.QueryAsync<string>("""
            SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
            """)).ToList();
        Assert.That(tables, Has.Member("videos").And.Member("storage_deletions").And.Member("qrtz_job_details").And.Member("schema_migrations"));

        foreach (var role in ApiRoles)
            foreach (var table in tables)
            {
                await using var tx = await check.BeginTransactionAsync();
                await check.ExecuteAsync($"SET LOCAL ROLE {role}", transaction: tx);
                string? state = null;
                try { await check.ExecuteScalarAsync($"SELECT 1 FROM {table} LIMIT 1", transaction: tx); }
                catch (PostgresException e) { state = e.SqlState; }
                Assert.That(state, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege), $"{role} reads {table}");
                await tx.RollbackAsync();
            }

        var withoutRls = await check.QueryAsync<string>("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
            """);
        Assert.That(withoutRls, Is.Empty, "row-level security on every table");
    }

    [Test]
    public async Task A_table_a_later_migration_adds_is_closed_to_the_api_roles_too()
    {
        var cs = await PostgresFixture.CreateEmptyDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(cs);
        await using (var conn = await db.OpenConnectionAsync()) await conn.ExecuteAsync(SupabaseDefaults);
        var migrator = new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);

        await using var check = await db.OpenConnectionAsync();
        await check.ExecuteAsync("CREATE TABLE later_feature (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, secret text)");
        foreach (var role in ApiRoles)
            Assert.That(await check.ExecuteScalarAsync<bool>($"SELECT has_table_privilege('{role}', 'later_feature', 'SELECT, INSERT, UPDATE, DELETE')"),
                Is.False, $"{role} on a table created after the sweep");

        await migrator.MigrateAsync(CancellationToken.None); // the next start sweeps it as well
        Assert.That(await check.ExecuteScalarAsync<bool>("SELECT relrowsecurity FROM pg_class WHERE oid = 'later_feature'::regclass"), Is.True);
    }
}
