using System.Net;
using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Problems;
using IgLive.Service.Tests.Fakes;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Videos.UploadVideo;

/// <summary>
/// Base of the fixtures on the WireMock ImageKit fake: a service storing in ImageKit (short API timeout, one retry), the
/// fake's faults reset before each test, and the steps they share to look at the deletion queue.
/// </summary>
public abstract class ImageKitFixture
{
    protected ImageKitFake Fake { get; private set; } = null!;
    protected ServiceFactory App { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        Fake = new ImageKitFake();
        var settings = Fake.Settings();
        settings["Storage:Provider"] = "ImageKit";
        settings["ImageKit:ApiTimeoutSeconds"] = "1";
        settings["ImageKit:ApiRetries"] = "1";
        settings["ImageKit:UploadTimeoutSeconds"] = "30"; // generous: the 2-core test machine is shared
        App = await ServiceFactory.CreateAsync(settings);
        await App.InstallInsertFailureAsync("db-failure");
        // Warm the API client up (handler, pipeline, connection, JIT) with a harmless 404: on the shared 2-core machine the
        // very first call could otherwise overrun the 1 s attempt timeout above and fail whichever test runs first. Under
        // heavy load the warm-up itself can overrun, so it gets a few tries.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Assert.That(await App.Services.GetRequiredService<ImageKitClient>().GetFileAsync("warmup000000000000000000", CancellationToken.None), Is.Null);
                break;
            }
            catch (UpstreamException) when (attempt < 5) { }
        }
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await App.DisposeAsync();
        Fake.Dispose();
    }

    [SetUp]
    public void Reset()
    {
        Fake.Fault = null;
        Fake.FaultCount = null;
        Fake.FaultWhen = null;
    }

    protected const string UploadPath = "/api/v1/files/upload";

    protected static StorageDeletionQueue Deletions(ServiceFactory on) => on.Services.GetRequiredService<StorageDeletionQueue>();

    /// <summary>Drains the deletion queue once the by-path search delay (default 300 s) has passed on the service's clock.</summary>
    protected static async Task DrainAfterTheSearchDelayAsync(ServiceFactory on)
    {
        on.Clock.Advance(TimeSpan.FromSeconds(301));
        await Deletions(on).DrainAsync(CancellationToken.None);
    }

    /// <summary>Search requests the fake received for <paramref name="fileName"/>.</summary>
    protected int Searches(string fileName) => Fake.LogEntries.Count(e => e.RequestMessage.Path == "/v1/files"
        && Uri.UnescapeDataString(e.RequestMessage.RawQuery ?? "").Contains($"name = \"{fileName}\"", StringComparison.Ordinal));

    protected static async Task<string[]> QueuedPathsAsync(ServiceFactory on)
    {
        await using var conn = on.OpenConnection();
        return (await conn.QueryAsync<string>("SELECT storage_key FROM storage_deletions WHERE kind = 'path'")).ToArray();
    }

    protected static async Task<long> QueuedAsync(ServiceFactory on, string key)
    {
        await using var conn = on.OpenConnection();
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM storage_deletions WHERE storage_key = @key", new { key });
    }

    /// <summary>Exactly one deletion of <paramref name="path"/> is queued, by path, first due after the 300 s search delay.</summary>
    protected static async Task AssertQueuedByPathAsync(ServiceFactory on, string path)
    {
        await using var conn = on.OpenConnection();
        var row = await conn.QuerySingleAsync<(string Provider, string Kind, string Reason, Guid? VideoId, DateTime NextAttemptAt)>(
            "SELECT provider, kind, reason, video_id, next_attempt_at FROM storage_deletions WHERE storage_key = @path", new { path });
        Assert.Multiple(() =>
        {
            Assert.That((row.Provider, row.Kind, row.Reason), Is.EqualTo(("imagekit", "path", "upload_ambiguous")));
            Assert.That(path, Does.Contain(row.VideoId!.Value.ToString("N")), "the video id the upload would have had");
            Assert.That(row.NextAttemptAt - on.Clock.GetUtcNow().UtcDateTime, Is.EqualTo(TimeSpan.FromSeconds(300)).Within(TimeSpan.FromSeconds(1)));
        });
    }
}
