using System.Text.Json;
using Dapper;
using IgLive.Service.Features.Housekeeping.CleanupOldVideos;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Tests.Infrastructure;
using IgLive.Service.Tests.Fakes;

namespace IgLive.Service.Tests.Features.Housekeeping.CleanupOldVideos;

/// <summary>Deletions ImageKit refuses stay queued with back-off and are retried until done, each file deleted once.</summary>
[TestFixture]
public sealed class CleanupBackOffTests
{
    /// <summary>A service on a fake ImageKit (no client retries), whose clock the tests move hours ahead.</summary>
    private ServiceFactory onImageKit = null!;
    private ImageKitFake imageKit = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        imageKit = new ImageKitFake();
        var settings = new Dictionary<string, string?> { ["Cleanup:BatchSize"] = "2" };
        foreach (var (k, v) in imageKit.Settings()) settings[k] = v;
        settings["ImageKit:ApiRetries"] = "0"; // every failed call reaches the queue, none is hidden by a client retry
        onImageKit = await ServiceFactory.CreateAsync(settings);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await onImageKit.DisposeAsync();
        imageKit.Dispose();
    }


    [Test]
    public async Task An_ImageKit_failing_every_other_bulk_delete_loses_nothing_and_deletes_each_file_once()
    {
        var owner = await onImageKit.CreateUserAsync();
        var ids = Enumerable.Range(0, 230).Select(i => imageKit.AddFile($"/iglive-test/bulk-{Guid.NewGuid():N}.mp4").FileId).ToArray();
        await SeedImageKitVideosAsync(onImageKit, owner, ids, onImageKit.Clock.GetUtcNow().AddMinutes(-5));
        var bulkCalls = 0;
        imageKit.FaultWhen = req => req.Path == BulkDeletePath && Interlocked.Increment(ref bulkCalls) % 2 == 1 ? FakeFault.Of(500) : null;
        var failures = 0;
        try
        {
            for (var run = 0; run < 10 && ids.Any(imageKit.Files.ContainsKey); run++)
            {
                failures += (await onImageKit.Runner().RunAsync(CancellationToken.None))!.Failures;
                onImageKit.Clock.Advance(TimeSpan.FromHours(2)); // past the longest back-off (cap 1 h, +20% jitter)
            }
        }
        finally { imageKit.FaultWhen = null; }

        // Every id the service got a 200 (bulk) or 204 (single) for, once per successful request.
        var confirmed = imageKit.LogEntries
            .Where(e => e.ResponseMessage.StatusCode is 200 or 204 && e.RequestMessage.Method is "POST" or "DELETE"
                        && e.RequestMessage.Path.StartsWith("/v1/files/", StringComparison.Ordinal))
            .SelectMany(e => e.RequestMessage.Path == BulkDeletePath
                ? JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("fileIds").EnumerateArray().Select(x => x.GetString()!)
                : [e.RequestMessage.PathSegments[2]])
            .Where(ids.Contains).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.GreaterThanOrEqualTo(100), "ImageKit did fail whole chunks");
            Assert.That(ids.Where(imageKit.Files.ContainsKey), Is.Empty, "every file deleted");
            Assert.That(confirmed, Is.EquivalentTo(ids), "each file in exactly one successful delete request");
        });
        await using var db = onImageKit.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM storage_deletions WHERE storage_key = ANY(@ids)", new { ids }), Is.Zero);
    }

    [Test]
    public async Task A_file_ImageKit_keeps_failing_to_delete_stays_queued_with_its_attempts_and_error()
    {
        var owner = await onImageKit.CreateUserAsync();
        var id = imageKit.AddFile($"/iglive-test/stuck-{Guid.NewGuid():N}.mp4").FileId;
        await SeedImageKitVideosAsync(onImageKit, owner, [id], onImageKit.Clock.GetUtcNow().AddMinutes(-5));
        imageKit.FaultWhen = req => req.Path.EndsWith(id, StringComparison.Ordinal) ? FakeFault.Of(503) : null;
        try
        {
            for (var run = 0; run < 3; run++)
            {
                await onImageKit.Runner().RunAsync(CancellationToken.None);
                onImageKit.Clock.Advance(TimeSpan.FromHours(2));
            }
        }
        finally { imageKit.FaultWhen = null; }

        await using var db = onImageKit.OpenConnection();
        var row = await db.QuerySingleAsync<(int Attempts, string LastError, DateTime? LastAttemptAt, DateTime NextAttemptAt)>(
            "SELECT attempts, last_error, last_attempt_at, next_attempt_at FROM storage_deletions WHERE storage_key = @id", new { id });
        Assert.Multiple(() =>
        {
            Assert.That(row.Attempts, Is.EqualTo(3));
            Assert.That(row.LastError, Does.Contain("503").And.Not.Contain(ImageKitFake.PrivateKey));
            Assert.That(row.LastAttemptAt, Is.Not.Null);
            Assert.That(row.NextAttemptAt, Is.GreaterThan(row.LastAttemptAt!.Value), "retried later, with back-off");
            Assert.That(imageKit.Files.ContainsKey(id), Is.True);
        });

        await onImageKit.Runner().RunAsync(CancellationToken.None); // ImageKit recovered
        Assert.That(imageKit.Files.ContainsKey(id), Is.False);
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM storage_deletions WHERE storage_key = @id", new { id }), Is.Zero);
    }

    private const string BulkDeletePath = "/v1/files/batch/deleteByFileIds";

    /// <summary>One expired ImageKit video per file id.</summary>
    private static async Task SeedImageKitVideosAsync(ServiceFactory on, TestUser owner, string[] ids, DateTimeOffset expiresAt)
    {
        foreach (var id in ids) await on.SeedExpiredAsync(owner, expiresAt, StorageProviders.ImageKit, id);
    }
}
