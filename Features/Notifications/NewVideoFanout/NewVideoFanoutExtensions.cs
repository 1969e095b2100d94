namespace IgLive.Service.Features.Notifications.NewVideoFanout;

public static class NewVideoFanoutExtensions
{
    /// <summary>The background writer of new_video notifications (on every instance; they share the queue).</summary>
    public static WebApplicationBuilder AddIgLiveNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NewVideoFanoutWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NewVideoFanoutWorker>());
        return builder;
    }
}
