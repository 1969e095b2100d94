using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.Moderation.Suspension;

/// <summary>Section <c>Moderation</c>: how long an instance may remember whether a user is suspended.</summary>
public sealed class SuspensionOptions : ISectionOptions
{
    public string Section => "Moderation";

    /// <summary>
    /// Seconds a user's suspension state is remembered per instance: the bound for an instance that missed the
    /// announcement (its LISTEN connection was down); announced changes apply at once.
    /// </summary>
    public double SuspensionCacheSeconds { get; set; } = 5;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (SuspensionCacheSeconds is <= 0 or > 3600) yield return "Moderation__SuspensionCacheSeconds must be between 0 and 3600.";
    }
}
