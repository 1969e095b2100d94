using System.Data;
using Dapper;
using Npgsql;

namespace IgLive.Service.Infrastructure.Database;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the process's single <see cref="NpgsqlDataSource"/>, Dapper's conventions, the migrator and
    /// the readiness check. Auto-prepare is on unless the connection string says otherwise: parse and plan
    /// are about 40% of a feed query's cost on this workload (docs/benchmarks.md).
    /// </summary>
    public static WebApplicationBuilder AddIgLiveDatabase(this WebApplicationBuilder builder)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.AddTypeHandler(new UtcDateTimeOffsetHandler());

        var csb = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString("Postgres"));
        if (csb.MaxAutoPrepare == 0)
        {
            csb.MaxAutoPrepare = 50;
            csb.AutoPrepareMinUsages = 2;
        }
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
