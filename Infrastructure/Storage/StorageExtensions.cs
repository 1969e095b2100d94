using IgLive.Service.Infrastructure.Configuration;
using IgLive.Service.Infrastructure.ImageKit;

namespace IgLive.Service.Infrastructure.Storage;

public static class StorageExtensions
{
    /// <summary>Registers the stores by provider name, and the one that takes new uploads per <c>Storage:Provider</c>.</summary>
    public static WebApplicationBuilder AddIgLiveStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LocalFileStore>();
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
