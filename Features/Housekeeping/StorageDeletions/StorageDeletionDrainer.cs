using IgLive.Service.Infrastructure.Database;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Housekeeping.StorageDeletions;

/// <summary>
/// Drains the deletion queue every <c>Cleanup:DrainIntervalSeconds</c>, so the files of videos deleted by their
/// owners (which only enqueue) go within seconds rather than at the next scheduled cleanup. Every instance may run
/// one: items are claimed with SKIP LOCKED and a lease, so drainers never send the same object twice at once.
/// Uses real time between drains (not <see cref="TimeProvider"/>): it is a polling interval, not business time.
/// </summary>
internal sealed partial class StorageDeletionDrainer(
    StorageDeletionQueue queue, MigrationState migrations, IOptions<StorageDeletionOptions> options, ILogger<StorageDeletionDrainer> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Completed.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.DrainIntervalSeconds));
        do
        {
            try
            {
                var result = await queue.DrainAsync(stoppingToken);
                if (result.Deleted + result.Failed > 0) Log.Drained(log, result.Deleted, result.Failed);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                Log.DatabaseUnavailable(log, e.Message);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // An unhandled exception would stop the whole host; the items stay queued and the next tick retries.
                Log.DrainFailed(log, e);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Deletion queue drained: {Deleted} files deleted, {Failed} failed")]
        public static partial void Drained(ILogger logger, int deleted, int failed);

        [LoggerMessage(LogLevel.Error, "Deletion queue drain failed unexpectedly; items stay queued and are retried")]
        public static partial void DrainFailed(ILogger logger, Exception e);

        [LoggerMessage(LogLevel.Warning, "Deletion queue drain failed, retrying at the next interval: {Reason}")]
        public static partial void DatabaseUnavailable(ILogger logger, string reason);
    }
}
