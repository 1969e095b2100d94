using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IgLive.Service.Features.Media.Processing;

public static class MediaProcessingExtensions
{
    /// <summary>
    /// The processing queue and its gauges always (the upload enqueues on every instance); the workers when
    /// <c>Media:Workers</c> &gt; 0 and videos are stored locally (ImageKit processes its own). <see cref="MediaOptions"/>
    /// is bound and validated with every other section by <c>AddIgLiveConfiguration</c>.
    /// </summary>
    public static WebApplicationBuilder AddIgLiveMediaProcessing(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Media").Get<MediaOptions>() ?? new MediaOptions();
        builder.Services.AddSingleton<FfmpegRunner>();
        builder.Services.AddSingleton<MediaJobQueue>();
        builder.Services.AddSingleton<MediaJobStats>();
        builder.Services.AddSingleton<ProcessVideoJob>();
        builder.Services.TryAddSingleton<IVideoStatusNotifier, LoggingVideoStatusNotifier>();
        builder.Services.AddHostedService(sp => new StatsGaugeRegistration<MediaJobStats>(
            sp.GetRequiredService<MediaJobStats>(), MediaMetrics.Current, MediaMetrics.EnsureCreated));
        var storage = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        if (options.Workers > 0 && storage.Provider == StorageProvider.Local) builder.Services.AddHostedService<MediaProcessingWorker>();
        return builder;
    }
}
