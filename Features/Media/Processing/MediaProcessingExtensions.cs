using IgLive.Service.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IgLive.Service.Features.Media.Processing;

public static class MediaProcessingExtensions
{
    /// <summary>
    /// The processing queue and its gauges always (the upload enqueues on every instance); the workers when
    /// <c>Media:Workers</c> &gt; 0 and videos are stored locally (ImageKit processes its own). Throws
    /// <see cref="InvalidConfigurationException"/> for invalid <c>Media</c> settings.
    /// </summary>
    public static WebApplicationBuilder AddIgLiveMediaProcessing(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Media");
        var options = new MediaOptions();
        try { section.Bind(options); }
        catch (InvalidOperationException e) { throw new InvalidConfigurationException([$"Media: {e.Message}"]); }
        if (options.Problems().ToList() is { Count: > 0 } problems) throw new InvalidConfigurationException(problems);

        builder.Services.Configure<MediaOptions>(section);
        builder.Services.AddSingleton<FfmpegRunner>();
        builder.Services.AddSingleton<MediaJobQueue>();
        builder.Services.AddSingleton<MediaJobStats>();
        builder.Services.AddSingleton<ProcessVideoJob>();
        builder.Services.TryAddSingleton<IVideoStatusNotifier, LoggingVideoStatusNotifier>();
        builder.Services.AddHostedService<MediaMetricsRegistration>();
        var storage = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        if (options.Workers > 0 && storage.Provider == StorageProvider.Local) builder.Services.AddHostedService<MediaProcessingWorker>();
        return builder;
    }
}

/// <summary>Points the process-wide queue gauges at this host's stats.</summary>
internal sealed class MediaMetricsRegistration(MediaJobStats stats) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        MediaMetrics.Current = stats;
        MediaMetrics.EnsureCreated();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.CompareExchange(ref MediaMetrics.Current, null, stats);
        return Task.CompletedTask;
    }
}
