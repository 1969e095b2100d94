namespace IgLive.Service.Infrastructure.Configuration;

/// <summary>
/// An options class bound from one configuration section. Every implementation in the service's assembly is found at
/// start-up (so options live next to the code that uses them): bound and checked by <see cref="ConfigurationValidator"/>,
/// which reports all problems at once, then registered as <c>IOptions&lt;T&gt;</c>. Several classes may bind one
/// section, each its own keys.
/// </summary>
public interface ISectionOptions
{
    /// <summary>The section it binds, e.g. <c>Upload</c>.</summary>
    string Section { get; }

    /// <summary>What is wrong with the bound values, one line each naming the setting as an environment variable.</summary>
    IEnumerable<string> Problems(IConfiguration config);
}
