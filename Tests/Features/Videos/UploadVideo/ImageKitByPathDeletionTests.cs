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

/// <summary>Deletions of an upload ImageKit may have stored without confirming it: found by path, retried with back-off, never a file a video owns.</summary>
[TestFixture]
public sealed class ImageKitByPathDeletionTests : ImageKitFixture
{

    [Test]
    public async Task A_by_path_deletion_that_finds_nothing_completes_after_one_search()
    {
        var user = await App.CreateUserAsync();
        var pathsBefore = await QueuedPathsAsync(App);
        Fake.FaultWhen = req => req.Path == UploadPath ? FakeFault.Of(502) : null; // nothing stored

        await (await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")))).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);

        var path = (await QueuedPathsAsync(App)).Except(pathsBefore).Single();
        var searchesBefore = Searches(Path.GetFileName(path));
        await DrainAfterTheSearchDelayAsync(App);
        Assert.That(Searches(Path.GetFileName(path)), Is.EqualTo(searchesBefore + 1), "ImageKit was asked for that file name once");
        Assert.That(await QueuedAsync(App, path), Is.Zero, "0 found: the entry is done");
    }

    [Test]
    public async Task A_by_path_deletion_stays_queued_with_back_off_while_the_search_fails()
    {
        var user = await App.CreateUserAsync();
        var pathsBefore = await QueuedPathsAsync(App);
        Fake.FaultWhen = req => req.Path == UploadPath ? FakeFault.Of(500) with { AfterHandling = true } : null;
        await user.Client.PostAsync("/api/videos", UploadHelpers.Form(UploadHelpers.Fixture("tiny.mp4")));
        var path = (await QueuedPathsAsync(App)).Except(pathsBefore).Single();
        Fake.FaultWhen = req => req.Path == "/v1/files" ? FakeFault.Of(503) : null;

        await DrainAfterTheSearchDelayAsync(App);

        await using (var conn = App.OpenConnection())
        {
            var row = await conn.QuerySingleAsync<(int Attempts, string LastError)>(
                "SELECT attempts, last_error FROM storage_deletions WHERE storage_key = @path", new { path });
            Assert.That(row.Attempts, Is.EqualTo(1));
            Assert.That(row.LastError, Does.Contain("503"));
        }
        Assert.That(Fake.Files.Values.Any(f => f.FilePath == path), Is.True);

        Fake.FaultWhen = null;
        App.Clock.Advance(TimeSpan.FromHours(2)); // past the back-off
        await Deletions(App).DrainAsync(CancellationToken.None);
        Assert.That(Fake.Files.Values.Any(f => f.FilePath == path), Is.False);
        Assert.That(await QueuedAsync(App, path), Is.Zero);
    }

    [Test]
    public async Task A_by_path_deletion_never_deletes_a_file_a_video_owns_and_a_queued_path_cannot_be_registered()
    {
        var user = await App.CreateUserAsync();
        var owned = await Fake.UploadDirectAsync(user);
        await (await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = owned.FileId, title = "owned" })).JsonAsync(HttpStatusCode.Created);
        var queued = await Fake.UploadDirectAsync(user);
        await using (var conn = App.OpenConnection())
        {
            // As an ambiguous upload would have queued them (both paths), due now.
            await conn.ExecuteAsync("""
                INSERT INTO storage_deletions (provider, storage_key, kind, reason, enqueued_at, next_attempt_at)
                SELECT 'imagekit', p, 'path', 'upload_ambiguous', @now, @now FROM unnest(@paths) AS p
                """, new { now = App.Clock.GetUtcNow(), paths = new[] { owned.FilePath, queued.FilePath } });
        }

        var again = await user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = queued.FileId, title = "being deleted" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);

        await Deletions(App).DrainAsync(CancellationToken.None);
        Assert.That(Fake.Files.ContainsKey(owned.FileId), Is.True, "a live video's file is kept");
        Assert.That(Fake.Files.ContainsKey(queued.FileId), Is.False);
        Assert.That(await QueuedAsync(App, owned.FilePath) + await QueuedAsync(App, queued.FilePath), Is.Zero, "both entries done");
    }
}
