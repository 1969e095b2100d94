using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IgLive.Service.Features.Events.Fanout;

/// <summary>
/// Readiness: degraded until the first LISTEN is in place (a stream opened earlier would miss events), which
/// /health/ready answers 503 as it does while migrations run — a start-up state, not a failure, so it is not logged as
/// one; degraded too while reconnecting later.
/// </summary>
public sealed class EventListenerHealthCheck(EventListener listener) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(listener switch
        {
            { Listening: true } => HealthCheckResult.Healthy(),
            { EverListened: true } => HealthCheckResult.Degraded("live events listener reconnecting"),
            _ => HealthCheckResult.Degraded("live events listener not connected yet"),
        });
}
