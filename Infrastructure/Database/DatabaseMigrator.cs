using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace IgLive.Service.Infrastructure.Database;

/// <summary>
/// Applies the numbered scripts of <c>db/migrations</c> (embedded in the assembly) with DbUp, each in its own
/// transaction, recorded in <c>schema_migrations</c>. A session-level advisory lock serialises instances that
/// start together: the second waits, then finds nothing left to do. Scripts marked
/// <see cref="NoTransactionScripts.Marker"/> run outside any transaction (see there).
/// </summary>
public sealed partial class DatabaseMigrator(NpgsqlDataSource db, ILogger<DatabaseMigrator> log)
{
    /// <summary>Arbitrary constant shared by every instance: "iglive" in ASCII.</summary>
    private const long LockKey = 0x69676c697665;
    private const string JournalTable = "schema_migrations";
    private const string ResourcePrefix = "migrations/";

    /// <summary>The scripts of this build (journalled by resource name, <c>migrations/NNNN_….sql</c>), in order.</summary>
    internal static IReadOnlyList<SqlScript> Embedded { get; } = typeof(DatabaseMigrator).Assembly
        .GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Order(StringComparer.Ordinal).Select(Load).ToArray();

    /// <summary>Names of the scripts this build knows, in order.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } = Embedded.Select(s => s.Name).ToArray();

    /// <summary>The scripts this migrator applies: <see cref="Embedded"/>; tests add their own.</summary>
    internal IReadOnlyList<SqlScript> Scripts { get; init; } = Embedded;

    private static SqlScript Load(string resource)
    {
        using var stream = typeof(DatabaseMigrator).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new SqlScript(resource, reader.ReadToEnd());
    }

    /// <summary>The scripts in name order, cut into runs: consecutive transactional scripts together, each marked one alone.</summary>
    private List<(bool NoTransaction, List<SqlScript> Scripts)> Runs()
    {
        var runs = new List<(bool NoTransaction, List<SqlScript> Scripts)>();
        foreach (var script in Scripts.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var noTransaction = NoTransactionScripts.Is(script);
            // a marked script is a run of its own: its INVALID leftovers are dropped right before it runs
            if (runs.Count == 0 || noTransaction || runs[^1].NoTransaction) runs.Add((noTransaction, []));
            runs[^1].Scripts.Add(script);
        }
        return runs;
    }

    /// <summary>How often a waiting instance asks for the migration lock again.</summary>
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Takes the migration lock by polling <c>pg_try_advisory_lock</c>, never by blocking in <c>pg_advisory_lock</c>: a
    /// backend waiting inside that statement holds a snapshot, and the lock holder's <c>CREATE INDEX CONCURRENTLY</c> (a
    /// marked script) waits for every older snapshot, while the waiter waits for the holder — a deadlock across two
    /// backends that PostgreSQL cannot detect (no lock cycle), and nothing times out. Between polls the waiter's
    /// connection is idle, with no snapshot.
    /// </summary>
    private static async Task AcquireLockAsync(NpgsqlConnection lockConn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", lockConn);
        cmd.Parameters.AddWithValue("k", LockKey);
        while (!(bool)(await cmd.ExecuteScalarAsync(ct))!) await Task.Delay(LockPollInterval, ct);
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var lockConn = await db.OpenConnectionAsync(ct);
        await AcquireLockAsync(lockConn, ct);
        try
        {
            // One DbUp engine per run, in order, all journalling to one table: each applies only its run's pending
            // scripts, so scripts apply strictly in name order whatever their transaction mode.
            foreach (var (noTransaction, scripts) in Runs())
            {
                if (noTransaction && (await PendingAsync(ct)).Contains(scripts[0].Name, StringComparer.Ordinal))
                    foreach (var dropped in await NoTransactionScripts.DropInvalidIndexesAsync(lockConn, scripts[0], ct))
                        Log.DroppedInvalid(log, dropped, scripts[0].Name);
                var builder = DeployChanges.To
                    .PostgresqlDatabase(new DbUp.Postgresql.PostgresqlConnectionManager(db))
                    .WithScripts(scripts)
                    .JournalToPostgresqlTable("public", JournalTable)
                    // No command timeout (0): a back-fill grows with the data (0191/0192 outlast Npgsql's default 30 s on a
                    // million videos) and a start-up that times out would retry it forever; readiness says Degraded meanwhile.
                    .WithExecutionTimeout(TimeSpan.Zero)
                    .LogToNowhere();
                var upgrader = (noTransaction ? builder.WithoutTransaction() : builder.WithTransactionPerScript()).Build();
                var result = await Task.Run(upgrader.PerformUpgrade, ct);
                foreach (var script in result.Scripts) Log.Applied(log, script.Name);
                if (!result.Successful)
                    throw new MigrationFailedException(result.ErrorScript?.Name ?? "?", result.Error);
            }
            await DataApiLockdown.ApplyAsync(lockConn, ct);
            Log.UpToDate(log, Scripts.Count);
        }
        finally
        {
            await lockConn.ReleaseSessionLockAsync(db, "SELECT pg_advisory_unlock(@Key)", LockKey);
        }
    }

    /// <summary>Scripts of this build not yet recorded in the journal (all of them on an empty database).</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"SELECT scriptname FROM public.{JournalTable} WHERE to_regclass('public.{JournalTable}') IS NOT NULL", conn);
        var applied = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return Scripts.Select(s => s.Name).ToArray();
        }
        return Scripts.Select(s => s.Name).Where(n => !applied.Contains(n)).ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Applied migration {Script}")]
        public static partial void Applied(ILogger logger, string script);

        [LoggerMessage(LogLevel.Warning, "Dropped the invalid index {Index} (a failed concurrent build) before rerunning {Script}")]
        public static partial void DroppedInvalid(ILogger logger, string index, string script);

        [LoggerMessage(LogLevel.Information, "Database schema is up to date ({Count} migrations)")]
        public static partial void UpToDate(ILogger logger, int count);
    }
}

public sealed class MigrationFailedException(string script, Exception? inner)
    : Exception($"Migration {script} failed: {inner?.Message}", inner);

/// <summary>Whether this process has seen the schema up to date; API requests wait for it (503 until then).</summary>
public sealed class MigrationState
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool IsComplete => done.Task.IsCompleted;
    public Task Completed => done.Task;
    public void MarkComplete() => done.TrySetResult();
    /// <summary>This process is applying migrations right now (readiness says Degraded, not Unhealthy: nothing is wrong).</summary>
    public bool IsMigrating { get => Volatile.Read(ref migrating); set => Volatile.Write(ref migrating, value); }
    private bool migrating;
}

/// <summary>
/// Applies migrations in the background at start-up, retrying while PostgreSQL is unreachable, so the process
/// comes up (liveness 200, readiness 503) and heals by itself when the database arrives.
/// </summary>
internal sealed partial class StartupMigrationService(
    DatabaseMigrator migrator, MigrationState state, IConfiguration config, ILogger<StartupMigrationService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var migrate = config.GetValue("Database:MigrateOnStartup", true);
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (migrate)
                {
                    state.IsMigrating = true;
                    try { await migrator.MigrateAsync(stoppingToken); }
                    finally { state.IsMigrating = false; }
                }
                else if ((await migrator.PendingAsync(stoppingToken)) is { Count: > 0 } pending)
                    throw new MigrationFailedException(pending[0], new InvalidOperationException("pending and Database__MigrateOnStartup=false"));
                state.MarkComplete();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or MigrationFailedException or TimeoutException)
            {
                Log.Waiting(log, delay.TotalSeconds, e.Message);
            }
            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Database not ready, retrying migrations in {Seconds}s: {Reason}")]
        public static partial void Waiting(ILogger logger, double seconds, string reason);
    }
}

/// <summary>Ready = PostgreSQL answers and every migration of this build is applied.</summary>
internal sealed class DatabaseReadyHealthCheck(DatabaseMigrator migrator, MigrationState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var pending = await migrator.PendingAsync(timeout.Token);
            if (pending.Count > 0)
                return state.IsMigrating
                    ? HealthCheckResult.Degraded($"applying {pending.Count} migrations")
                    : HealthCheckResult.Unhealthy($"{pending.Count} migrations not applied");
            state.MarkComplete();
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }
}
