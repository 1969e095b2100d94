using System.Net;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Housekeeping.CleanupOldVideos;

/// <summary>Upload part files a dead request or process left in the incoming folder: swept by a run and at start-up, never while young.</summary>
[TestFixture]
public sealed class IncomingPartFilesTests
{
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync();

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();


    [Test]
    public async Task A_cleanup_run_removes_upload_part_files_abandoned_for_longer_than_the_max_age_only()
    {
        var abandoned = WritePart(app.StoragePath, TimeSpan.FromHours(2));
        var inFlight = WritePart(app.StoragePath, TimeSpan.FromMinutes(30)); // younger than the 60 min default
        var notAPart = WritePart(app.StoragePath, TimeSpan.FromHours(2), suffix: ".keep");

        var rsp = await app.CreateClient(app.ServiceRoleToken()).PostAsync("/api/admin/cleanup", null);

        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(abandoned), Is.False, "abandoned part file removed");
            Assert.That(File.Exists(inFlight), Is.True, "a part file written to within the max age is never touched");
            Assert.That(File.Exists(notAPart), Is.True, "only *.part files are swept");
        });
    }

    [Test]
    public async Task Starting_the_service_removes_part_files_a_killed_process_left_behind()
    {
        var storage = Path.Combine(Path.GetTempPath(), "iglive-tests", Guid.NewGuid().ToString("N"));
        var abandoned = WritePart(storage, TimeSpan.FromMinutes(11));
        var inFlight = WritePart(storage, TimeSpan.FromMinutes(1));
        try
        {
            await using var started = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
            {
                ["Storage:LocalPath"] = storage,
                ["Storage:IncomingMaxAgeMinutes"] = "10",
            });
            Assert.Multiple(() =>
            {
                Assert.That(File.Exists(abandoned), Is.False, "removed at start-up, before any cleanup run");
                Assert.That(File.Exists(inFlight), Is.True);
            });
        }
        finally { try { Directory.Delete(storage, recursive: true); } catch (IOException) { } }
    }

    /// <summary>A file in the local store's incoming folder, last written <paramref name="age"/> ago.</summary>
    private static string WritePart(string storageRoot, TimeSpan age, string suffix = ".part")
    {
        var path = Path.Combine(storageRoot, ".incoming", Guid.NewGuid().ToString("N") + suffix);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0, 0, 0, 0x18]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }
}
