namespace IgLive.Service.Infrastructure.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>Validates configuration (throws <see cref="InvalidConfigurationException"/>) and registers the options.</summary>
    public static WebApplicationBuilder AddIgLiveConfiguration(this WebApplicationBuilder builder)
    {
        var problems = ConfigurationValidator.Validate(builder.Configuration);
        if (problems.Count > 0) throw new InvalidConfigurationException(problems);
        ConfigurationValidator.Register(builder.Services, builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
