using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.Videos.Publishing;

/// <summary>Section <c>Cleanup</c>, the key that decides a new video's <c>expires_at</c>.</summary>
public sealed class RetentionOptions : ISectionOptions
{
    public string Section => "Cleanup";
    /// <summary>Days a video lives after its upload.</summary>
    public int RetentionDays { get; set; } = 14;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (RetentionDays is < 1 or > 3650) yield return "Cleanup__RetentionDays must be between 1 and 3650.";
    }
}
