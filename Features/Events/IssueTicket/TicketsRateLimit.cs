using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.Events.IssueTicket;

/// <summary>Section <c>RateLimits</c>, Events' key: per signed-in user, a fixed one-minute window; 0 turns it off.</summary>
public sealed class TicketRateLimitOptions : ISectionOptions
{
    public string Section => "RateLimits";
    /// <summary>
    /// Event-stream tickets one user may take per minute (<c>POST /api/events/ticket</c>): each browser tab takes one per
    /// (re)connect, so this bounds reconnect storms, not normal use.
    /// </summary>
    public int EventTicketsPerMinute { get; set; } = 30;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (EventTicketsPerMinute < 0) yield return "RateLimits__EventTicketsPerMinute must be 0 (no limit) or more.";
    }
}

/// <summary>Event tickets per user per minute (<see cref="TicketRateLimitOptions.EventTicketsPerMinute"/>).</summary>
public sealed class TicketsRateLimit : RateLimitPolicy
{
    public const string Policy = "event-tickets";
    public override string Name => Policy;
    public override string Detail => "Too many event tickets in a minute; retry later.";
    protected override RateLimitRule Rule(HttpContext http)
        => new(CallerKey(http), Options<TicketRateLimitOptions>(http).EventTicketsPerMinute, TimeSpan.FromMinutes(1));
}
