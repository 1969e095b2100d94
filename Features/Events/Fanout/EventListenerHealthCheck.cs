using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IgLive.Service.Features.Events.Fanout;

/// <summary>
/// Readiness: unhealthy until the first LISTEN is in place (a stream opened earlier would miss events); degraded, not
/// unhealthy, while reconnecting later, so a database blip does not take every instance out of the load balancer.
/// </summary>
public sealed class EventListenerHealthCheck(EventListener listener) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(listener switch
        {
            { Listening: true } => HealthCheckResult.Healthy(),
            { EverListened: true } => HealthCheckResult.Degraded("live events listener reconnecting"),
            _ => HealthCheckResult.Unhealthy("live events listener not connected yet"),
        });
}
