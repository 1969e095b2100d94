using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Events.Fanout;

/// <summary>One timer for the whole instance sends <c>: ping</c> to every open stream.</summary>
public sealed class EventPinger(EventHub hub, IOptions<EventsOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PingSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) hub.Ping();
        }
        catch (OperationCanceledException) { }
    }
}
