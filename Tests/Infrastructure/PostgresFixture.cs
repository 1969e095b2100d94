using DotNet.Testcontainers.Images;
using IgLive.Service.Infrastructure.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]

namespace IgLive.Service.Tests;

/// <summary>
/// One PostgreSQL container per test run (Testcontainers). Migrations are applied once to a template database;
/// every fixture then gets its own database cloned from it (<c>CREATE DATABASE … TEMPLATE</c>, ~100 ms), so
/// fixtures run in parallel without seeing each other's rows. There is no fallback: without Docker the run fails.
/// </summary>
[SetUpFixture]
public sealed class PostgresFixture
{
    private const string Template = "iglive_template";
    private static PostgreSqlContainer? container;
    private static readonly SemaphoreSlim CloneLock = new(1, 1);

    /// <summary>Connection string of the container's admin database.</summary>
    public static string AdminConnectionString => container?.GetConnectionString()
        ?? throw new InvalidOperationException("PostgreSQL container is not running");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var image = Environment.GetEnvironmentVariable("POSTGRES_TEST_IMAGE");
        container = new PostgreSqlBuilder(image ?? "postgres:15")
            .WithDatabase("postgres_admin").WithUsername("iglive").WithPassword("iglive-test")
            .WithImagePullPolicy(image is null ? PullPolicy.Missing : PullPolicy.Never)
            .WithCommand("-c", "max_connections=400", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
            .Build();
        await container.StartAsync();
        await TestContext.Progress.WriteLineAsync($"PostgreSQL container {container.Id[..12]} from {image ?? "postgres:15"} at {container.Hostname}:{container.GetMappedPublicPort(5432)}");

        await ExecAsync(AdminConnectionString, $"CREATE DATABASE {Template}");
        var templateCs = WithDatabase(Template);
        await using (var ds = NpgsqlDataSource.Create(templateCs))
            await new DatabaseMigrator(ds, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        NpgsqlConnection.ClearAllPools(); // a template must have no open connections to be cloned
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (container is not null) await container.DisposeAsync();
    }

    /// <summary>A fresh, fully migrated database for one fixture; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await CloneLock.WaitAsync(); // PostgreSQL refuses concurrent clones of one template
        try { await ExecAsync(AdminConnectionString, $"CREATE DATABASE {name} TEMPLATE {Template}"); }
        finally { CloneLock.Release(); }
        return WithDatabase(name);
    }

    /// <summary>A fresh empty database (no migrations), for migration tests.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = "e_" + Guid.NewGuid().ToString("N")[..16];
        await ExecAsync(AdminConnectionString, $"CREATE DATABASE {name}");
        return WithDatabase(name);
    }

    public static string WithDatabase(string database)
        => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, Pooling = true }.ConnectionString;

    private static async Task ExecAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
