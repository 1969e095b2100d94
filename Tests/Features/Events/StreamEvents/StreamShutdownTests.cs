using System.Net;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Events.StreamEvents;

[TestFixture]
public sealed class StreamShutdownTests
{
    [Test]
    public async Task Streams_end_cleanly_when_the_instance_stops_and_pings_keep_them_alive()
    {
        var app = await ServiceFactory.CreateAsync(new Dictionary<string, string?> { ["Events:PingSeconds"] = "0.2" });
        var user = await app.CreateUserAsync();
        await using var stream = await SseReader.OpenAsync(app.CreateClient(user.AccessToken), "/api/events");
        Assert.That(stream.Status, Is.EqualTo(HttpStatusCode.OK));
        await stream.NextAsync("unread_count");
        var ping = await stream.NextAsync(":");
        Assert.That(ping.Data, Is.EqualTo(": ping"));

        var stopping = app.DisposeAsync().AsTask();
        SseEvent? e;
        do e = await stream.NextAsync(TimeSpan.FromSeconds(20)); while (e is not null);
        await stopping;
    }
}
