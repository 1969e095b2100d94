using IgLive.Service.Tests.Features.Media.Processing;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Events.StreamEvents;

/// <summary>The processing worker's status change reaches the owner's live stream as a <c>video</c> event.</summary>
[TestFixture]
public sealed class VideoStatusEventsTests
{
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(MediaSamples.FastWorkers());

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task A_processed_upload_is_announced_to_its_owner_as_ready()
    {
        var owner = await app.CreateUserAsync();
        await using var stream = await SseReader.OpenAsync(app.CreateClient(owner.AccessToken), "/api/events");
        var id = await app.SeedProcessingAsync(owner, await MediaSamples.VideoAsync(640, 360));

        var e = await stream.NextAsync("video", m => m.Json.GetProperty("id").GetGuid() == id, TimeSpan.FromSeconds(90));

        Assert.That(e.Json.GetProperty("status").GetString(), Is.EqualTo("ready"));
    }
}
