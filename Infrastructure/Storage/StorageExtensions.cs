using IgLive.Service.Infrastructure.ImageKit;

namespace IgLive.Service.Infrastructure.Storage;

public static class StorageExtensions
{
    /// <summary>Registers the stores by provider name, and the one that takes new uploads per <c>Storage:Provider</c>.</summary>
    public static WebApplicationBuilder AddIgLiveStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LocalFileStore>();
        builder.Services.AddHostedService<IncomingSweepAtStartup>();
        builder.Services.AddKeyedSingleton<IFileStore>(StorageProviders.Local, (sp, _) => sp.GetRequiredService<LocalFileStore>());
        // The ImageKit store exists whenever its keys are configured (also with Local uploads), so that files stored
        // there earlier can still be deleted.
        if (builder.Configuration.GetSection("ImageKit").Get<ImageKitOptions>() is { IsConfigured: true })
        {
            builder.Services.AddImageKit();
            builder.Services.AddSingleton<ImageKitFileStore>();
            builder.Services.AddKeyedSingleton<IFileStore>(StorageProviders.ImageKit, (sp, _) => sp.GetRequiredService<ImageKitFileStore>());
        }
        var provider = builder.Configuration.GetValue("Storage:Provider", StorageProvider.Local);
        var key = provider == StorageProvider.ImageKit ? StorageProviders.ImageKit : StorageProviders.Local;
        builder.Services.AddSingleton(sp => sp.GetRequiredKeyedService<IFileStore>(key));
        return builder;
    }
}

/// <summary>
/// Sweeps the local store's abandoned upload part files once when the service starts (a crash is typically followed
/// by a restart); the cleanup run sweeps again on its schedule. Synchronous and cheap: one directory listing.
/// </summary>
internal sealed class IncomingSweepAtStartup(LocalFileStore local) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        local.SweepIncoming();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
