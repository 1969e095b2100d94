using System.Net;
using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Features.Housekeeping.CleanupOldVideos;
using IgLive.Service.Tests.Fakes;
using IgLive.Service.Tests.Features.Videos.UploadVideo;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Videos.RegisterVideo;

/// <summary>
/// Registration of direct ImageKit uploads accepts only the file issued to the caller, within Upload:MaxBytes; issued
/// uploads never registered are deleted by the cleanup a day later.
/// </summary>
[TestFixture]
public sealed class RegisterVideoTests
{
    private const long MaxBytes = 100_000;
    private ImageKitFake imageKit = null!;
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        imageKit = new ImageKitFake();
        var settings = imageKit.Settings();
        settings["Storage:Provider"] = "ImageKit";
        settings["Upload:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app = await ServiceFactory.CreateAsync(settings);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        imageKit.Dispose();
    }

    private static Task<HttpResponseMessage> RegisterAsync(TestUser user, string fileId)
        => user.Client.PostAsJsonAsync("/api/videos", new { imagekit_file_id = fileId, title = "direct" });

    [Test]
    public async Task The_issued_file_registers()
    {
        var user = await app.CreateUserAsync();
        var file = await imageKit.UploadDirectAsync(user);

        await (await RegisterAsync(user, file.FileId)).JsonAsync(HttpStatusCode.Created);
        Assert.That(await app.CountVideosAsync(user.Id), Is.EqualTo(1));
    }

    [Test]
    public async Task A_file_issued_to_another_user_is_a_403()
    {
        var owner = await app.CreateUserAsync();
        var thief = await app.CreateUserAsync();
        var file = await imageKit.UploadDirectAsync(owner);

        await (await RegisterAsync(thief, file.FileId)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(await app.CountVideosAsync(thief.Id), Is.Zero);
    }

    [Test]
    public async Task A_file_in_the_folder_that_was_never_issued_is_a_403()
    {
        var user = await app.CreateUserAsync();
        // What a v1 token allowed: any name in the folder, e.g. next to the caller's own uploads.
        var file = imageKit.AddFile($"/iglive-test/u/{user.Id:N}/chosen-by-the-client.mp4");

        await (await RegisterAsync(user, file.FileId)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
    }

    [Test]
    public async Task A_file_larger_than_upload_max_bytes_is_a_413_and_queued_for_deletion()
    {
        var user = await app.CreateUserAsync();
        var file = await imageKit.UploadDirectAsync(user, size: MaxBytes + 1);

        await (await RegisterAsync(user, file.FileId)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.That(await app.CountVideosAsync(user.Id), Is.Zero);
        await using var db = app.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<string>("SELECT reason FROM storage_deletions WHERE storage_key = @k", new { k = file.FileId }),
            Is.EqualTo("direct_upload_refused"));
    }

    [Test]
    public async Task An_upload_never_registered_is_deleted_by_the_cleanup_a_day_later()
    {
        var user = await app.CreateUserAsync();
        var abandoned = await imageKit.UploadDirectAsync(user);
        var registered = await imageKit.UploadDirectAsync(user);
        await (await RegisterAsync(user, registered.FileId)).JsonAsync(HttpStatusCode.Created);
        var runner = app.Services.GetRequiredService<CleanupOldVideosRunner>();

        await runner.RunAsync(CancellationToken.None);
        Assert.That(imageKit.Files.ContainsKey(abandoned.FileId), Is.True, "younger than a day: the client may still register it");

        app.Clock.Advance(TimeSpan.FromHours(25));
        await runner.RunAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(imageKit.Files.ContainsKey(abandoned.FileId), Is.False, "the abandoned upload is deleted");
            Assert.That(imageKit.Files.ContainsKey(registered.FileId), Is.True, "the registered one stays");
        });
        await using var db = app.OpenConnection();
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM direct_uploads WHERE user_id = @Id", new { user.Id }), Is.Zero);
    }
}
