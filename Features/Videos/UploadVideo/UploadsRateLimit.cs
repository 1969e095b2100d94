using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>Section <c>RateLimits</c>, Videos' key: per signed-in user, a fixed one-hour window; 0 turns it off.</summary>
public sealed class UploadRateLimitOptions : ISectionOptions
{
    public string Section => "RateLimits";
    /// <summary>Videos one user may create per hour, uploads and ImageKit registrations together (<c>POST /api/videos</c>).</summary>
    public int UploadsPerHour { get; set; } = 20;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (UploadsPerHour < 0) yield return "RateLimits__UploadsPerHour must be 0 (no limit) or more.";
    }
}

/// <summary>
/// Uploads per user per hour, counted before the body is read, so a refused upload costs no storage. Every attempt
/// counts, also one refused later (415, 413): the budget is for work the service does, not only for videos made.
/// </summary>
public sealed class UploadsRateLimit : RateLimitPolicy
{
    public const string Policy = "uploads";
    public override string Name => Policy;
    public override string Detail => "Too many uploads in an hour; retry later.";
    protected override RateLimitRule Rule(HttpContext http)
        => new(CallerKey(http), Options<UploadRateLimitOptions>(http).UploadsPerHour, TimeSpan.FromHours(1));
}
