using System.Reflection;

namespace IgLive.Service.Infrastructure.Configuration;

/// <summary>
/// Reads every section once at start-up and reports all problems together, one line each, so an operator
/// fixes the configuration in one go instead of meeting a stack trace per missing key.
/// </summary>
public static class ConfigurationValidator
{
    /// <summary>Every <see cref="ISectionOptions"/> class of the service, by section.</summary>
    public static readonly IReadOnlyList<Type> SectionTypes = typeof(ISectionOptions).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISectionOptions).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> Validate(IConfiguration config)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(config.GetConnectionString("Postgres")))
            problems.Add("ConnectionStrings__Postgres is required (a PostgreSQL connection string).");
        SecretRules.Check(config, problems);
        Server.ClientAddress.Validate(config, problems);
        foreach (var type in SectionTypes)
        {
            var options = (ISectionOptions)Activator.CreateInstance(type)!;
            try { config.GetSection(options.Section).Bind(options); }
            catch (InvalidOperationException e) { problems.Add($"{options.Section}: {e.Message}"); }
            problems.AddRange(options.Problems(config));
        }
        return problems;
    }

    /// <summary>Registers every options class as <c>IOptions&lt;T&gt;</c> bound to its section.</summary>
    internal static void Register(IServiceCollection services, IConfiguration config)
    {
        var configure = typeof(OptionsConfigurationServiceCollectionExtensions).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(OptionsConfigurationServiceCollectionExtensions.Configure) && m.GetParameters().Length == 2);
        foreach (var type in SectionTypes)
        {
            var section = ((ISectionOptions)Activator.CreateInstance(type)!).Section;
            configure.MakeGenericMethod(type).Invoke(null, [services, config.GetSection(section)]);
        }
    }
}
