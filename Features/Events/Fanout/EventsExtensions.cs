using IgLive.Service.Features.Media.Processing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IgLive.Service.Features.Events.Fanout;

public static class EventsExtensions
{
    /// <summary>Live updates: the per-instance hub, its LISTEN connection, the ping timer and the after-commit announcer (section <c>Events</c>).</summary>
    public static WebApplicationBuilder AddIgLiveEvents(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<EventsOptions>(builder.Configuration.GetSection("Events"));
        builder.Services.AddSingleton<EventHub>();
        builder.Services.AddSingleton<EventListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventListener>());
        builder.Services.AddHostedService<EventPinger>();
        builder.Services.AddSingleton<LiveAnnouncer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveAnnouncer>());
        // Media processing's status changes become live events (replaces its logging default).
        builder.Services.Replace(ServiceDescriptor.Singleton<IVideoStatusNotifier, LiveVideoStatusNotifier>());
        builder.Services.AddHealthChecks().AddCheck<EventListenerHealthCheck>("events", tags: ["ready"]);
        return builder;
    }
}
