using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IgLive.Service.Infrastructure.Api;

/// <summary>A health report as JSON: the overall status, then each check's status, description and data (an exception's text is never written: the route is anonymous).</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                // A check that threw says so, never the exception's text (host names, credentials' errors): that is logged.
                description = e.Value.Exception is null ? e.Value.Description : "the check failed (see the service log)",
                data = e.Value.Data,
            }),
        }, cancellationToken: http.RequestAborted);
    }
}
