using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Infrastructure.Storage;

public static class StorageExtensions
{
    /// <summary>Registers the stores by provider name, and the one that takes new uploads per <c>Storage:Provider</c>.</summary>
    public static WebApplicationBuilder AddIgLiveStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LocalFileStore>();
        builder.Services.AddKeyedSingleton<IFileStore>(StorageProviders.Local, (sp, _) => sp.GetRequiredService<LocalFileStore>());
        // TODO(#5): the ImageKit store, keyed "imagekit", registered when ImageKit is configured.
        var provider = builder.Configuration.GetValue("Storage:Provider", StorageProvider.Local);
        var key = provider == StorageProvider.ImageKit ? StorageProviders.ImageKit : StorageProviders.Local;
        builder.Services.AddSingleton(sp => sp.GetRequiredKeyedService<IFileStore>(key));
        return builder;
    }
}
