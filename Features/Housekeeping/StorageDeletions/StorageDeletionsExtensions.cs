using IgLive.Service.Infrastructure.Telemetry;

namespace IgLive.Service.Features.Housekeeping.StorageDeletions;

public static class StorageDeletionsExtensions
{
    /// <summary>The queue, its drain and stats always; the periodic drainer when <c>Cleanup:DrainerEnabled</c>.</summary>
    public static IServiceCollection AddIgLiveStorageDeletions(this IServiceCollection services, StorageDeletionOptions options)
    {
        services.AddSingleton<StorageDeletionDrain>();
        services.AddSingleton<StorageDeletionQueue>();
        services.AddSingleton<StorageDeletionStats>();
        services.AddHostedService(sp => new StatsGaugeRegistration<StorageDeletionStats>(
            sp.GetRequiredService<StorageDeletionStats>(), StorageDeletionMetrics.Current, StorageDeletionMetrics.EnsureCreated));
        if (options.DrainerEnabled) services.AddHostedService<StorageDeletionDrainer>();
        return services;
    }
}
