using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.Social;

/// <summary>Section <c>RateLimits</c>, Social's keys: per signed-in user, fixed one-minute windows; 0 turns a limit off.</summary>
public sealed class SocialRateLimitOptions : ISectionOptions
{
    public string Section => "RateLimits";
    /// <summary>Comments one user may post per minute (<c>POST /api/videos/{id}/comments</c>).</summary>
    public int CommentsPerMinute { get; set; } = 20;
    /// <summary>Like, unlike and toggle requests one user may send per minute (<c>PUT|DELETE|POST /api/videos/{id}/like</c>).</summary>
    public int LikesPerMinute { get; set; } = 60;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (CommentsPerMinute < 0) yield return "RateLimits__CommentsPerMinute must be 0 (no limit) or more.";
        if (LikesPerMinute < 0) yield return "RateLimits__LikesPerMinute must be 0 (no limit) or more.";
    }
}

/// <summary>Comments per user per minute (<see cref="SocialRateLimitOptions.CommentsPerMinute"/>).</summary>
public sealed class CommentsRateLimit : RateLimitPolicy
{
    public const string Policy = "comments";
    public override string Name => Policy;
    public override string Detail => "Too many comments in a minute; retry later.";
    protected override RateLimitRule Rule(HttpContext http)
        => new(CallerKey(http), Options<SocialRateLimitOptions>(http).CommentsPerMinute, TimeSpan.FromMinutes(1));
}

/// <summary>Likes, unlikes and toggles together per user per minute (<see cref="SocialRateLimitOptions.LikesPerMinute"/>).</summary>
public sealed class LikesRateLimit : RateLimitPolicy
{
    public const string Policy = "likes";
    public override string Name => Policy;
    public override string Detail => "Too many likes in a minute; retry later.";
    protected override RateLimitRule Rule(HttpContext http)
        => new(CallerKey(http), Options<SocialRateLimitOptions>(http).LikesPerMinute, TimeSpan.FromMinutes(1));
}
