using System.Data;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace IgLive.Service.Infrastructure.Database;

public static partial class DatabaseExtensions
{
    /// <summary>
    /// Registers the process's single <see cref="NpgsqlDataSource"/>, Dapper's conventions, the migrator and
    /// the readiness check. Auto-prepare is on unless the connection string says otherwise: parse and plan
    /// are about 40% of a feed query's cost on this workload (docs/benchmarks.md). Connections are not reset when
    /// they go back to the pool unless the string says <c>No Reset On Close=false</c>: Npgsql's reset is seven
    /// statements (UNLISTEN *, CLOSE ALL, DISCARD TEMP, DISCARD SEQUENCES, pg_advisory_unlock_all(), SET SESSION
    /// AUTHORIZATION DEFAULT, RESET ALL) sent before the next command of every request, and this service leaves no
    /// session state behind: no SET, temp tables or LISTEN, and the two session advisory locks (migrations, cleanup
    /// run) are released in <c>finally</c> blocks (see <see cref="ReleaseSessionLockAsync"/>).
    /// </summary>
    public static WebApplicationBuilder AddIgLiveDatabase(this WebApplicationBuilder builder)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.AddTypeHandler(new UtcDateTimeOffsetHandler());

        var raw = builder.Configuration.GetConnectionString("Postgres");
        var csb = new NpgsqlConnectionStringBuilder(raw);
        if (csb.MaxAutoPrepare == 0)
        {
            csb.MaxAutoPrepare = 50;
            csb.AutoPrepareMinUsages = 2;
        }
        if (!SetsMaxPoolSize(raw)) csb.MaxPoolSize = DefaultMaxPoolSize;
        if (!NoResetOnCloseKeyword().IsMatch(raw ?? "")) csb.NoResetOnClose = true;
        csb.ApplicationName ??= "IgLive.Service";

        builder.Services.AddSingleton(sp =>
        {
            var dsb = new NpgsqlDataSourceBuilder(csb.ConnectionString);
            dsb.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            return dsb.Build();
        });
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddHostedService<StartupMigrationService>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// The pool size used when the connection string names none: 4 per core, at least 8, at most Npgsql's 100.
    /// More busy connections than that only queue inside PostgreSQL: on 2 cores (app and database on one box), 8
    /// served the feed and likes faster than 16, and 16 faster than 32 or 100 (docs/benchmarks.md, "Second round").
    /// A database far away (high round-trip time) may want more: set <c>Maximum Pool Size</c> in the string.
    /// </summary>
    public static int DefaultMaxPoolSize => Math.Clamp(4 * Environment.ProcessorCount, 8, 100);

    /// <summary>Whether the raw connection string sets the pool size itself (any spelling of the keyword).</summary>
    public static bool SetsMaxPoolSize(string? connectionString)
        => connectionString is not null && MaxPoolSizeKeyword().IsMatch(connectionString);

    [GeneratedRegex(@"(^|;)\s*max(imum)?\s*pool\s*size\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MaxPoolSizeKeyword();

    [GeneratedRegex(@"(^|;)\s*no\s*reset\s*on\s*close\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NoResetOnCloseKeyword();

    /// <summary>
    /// Releases a session advisory lock taken on <paramref name="conn"/>. Pooled connections are not reset (see
    /// <see cref="AddIgLiveDatabase"/>), so if the release fails the data source's pool is cleared: the connection is
    /// then closed when it is returned instead of going back to the pool still holding the lock.
    /// (<c>NpgsqlConnection.ClearPool</c> would not do: it only knows pools made from connection strings.)
    /// </summary>
    public static async Task ReleaseSessionLockAsync(this NpgsqlConnection conn, NpgsqlDataSource db, string unlockSql, long key)
    {
        try
        {
            await using var cmd = new NpgsqlCommand(unlockSql, conn);
            cmd.Parameters.AddWithValue("Key", key);
            await cmd.ExecuteScalarAsync(CancellationToken.None);
        }
        catch
        {
            db.Clear();
            throw;
        }
    }
}

/// <summary>timestamptz comes back from Npgsql as a UTC <see cref="DateTime"/>; contract types use DateTimeOffset.</summary>
internal sealed class UtcDateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTimeOffset dto => dto.ToUniversalTime(),
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        _ => throw new DataException($"Cannot convert {value.GetType()} to DateTimeOffset"),
    };

    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        parameter.DbType = DbType.DateTimeOffset;
        parameter.Value = value.ToUniversalTime();
    }
}
