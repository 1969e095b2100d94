namespace IgLive.Service.Infrastructure.Configuration;

/// <summary>Thrown when <see cref="ConfigurationValidator"/> finds problems; Program prints them and exits.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<string> problems)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
