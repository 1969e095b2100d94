using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Infrastructure.Database;

/// <summary>Section <c>Database</c>.</summary>
public sealed class DatabaseOptions : ISectionOptions
{
    public string Section => "Database";
    /// <summary>Apply pending migrations when the service starts (under an advisory lock).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public IEnumerable<string> Problems(IConfiguration config) => [];
}
