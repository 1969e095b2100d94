using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.Moderation.CreateReport;

/// <summary>
/// Section <c>RateLimits</c>, Moderation's key. Counted in PostgreSQL, not in Redis: the reports table already holds
/// every report with its time, so the count is exact over a rolling 24 hours, shared by all instances with or without
/// Redis, and a repeated report of the same target (200, not a new report) does not use the budget.
/// </summary>
public sealed class ReportRateLimitOptions : ISectionOptions
{
    public string Section => "RateLimits";
    /// <summary>New reports one user may make in any 24 hours (<c>POST /api/reports</c>); 0 turns the limit off.</summary>
    public int ReportsPerDay { get; set; } = 20;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (ReportsPerDay < 0) yield return "RateLimits__ReportsPerDay must be 0 (no limit) or more.";
    }
}
