using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Tests.Features.Media.Processing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// Two service hosts as one deployment runs them: one database, one Redis, one storage volume and signing-key folder,
/// and on both the clustered cleanup scheduler (every second), the deletion-queue drainer and a media worker. Limits
/// are one budget; each expired video is deleted once and each upload processed once; a session ended on one host
/// cannot be refreshed on the other.
/// </summary>
[TestFixture]
public sealed class ManyInstancesTests
{
    private readonly LogCapture logs = new(); // both hosts
    private readonly ConcurrentQueue<string> deleted = new(); // keys either host's store was asked to delete
    private ServiceFactory a = null!;
    private ServiceFactory b = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var settings = MediaSamples.FastWorkers(workers: 1);
        settings["Redis:ConnectionString"] = (await RedisServer.Shared).ConnectionString;
        settings["Redis:KeyPrefix"] = "t" + Guid.NewGuid().ToString("N")[..12];
        settings["RateLimits:LikesPerMinute"] = "3";
        settings["Cleanup:SchedulerEnabled"] = "true";
        settings["Cleanup:Cron"] = "0/1 * * * * ?";
        void Deployment(IServiceCollection s)
        {
            s.AddSingleton<ILoggerProvider>(logs);
            s.AddSingleton(TimeProvider.System); // a real scheduler needs real time
            s.AddKeyedSingleton<IFileStore>(StorageProviders.Local, (sp, _) => new RecordingStore(sp.GetRequiredService<LocalFileStore>(), deleted));
        }
        a = await ServiceFactory.CreateAsync(settings, Deployment);
        settings["Storage:LocalPath"] = a.StoragePath;
        b = await a.CreateSecondInstanceAsync(settings, Deployment);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
    }

    [Test]
    public async Task A_user_has_one_like_budget_on_both_hosts()
    {
        var owner = await a.CreateUserAsync();
        var fan = await a.CreateUserAsync();
        var video = await a.SeedVideoAsync(owner);
        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { fan.Client, b.CreateClient(fan.AccessToken), fan.Client, b.CreateClient(fan.AccessToken) })
            statuses.Add((await client.PutAsync($"/api/videos/{video}/like", null)).StatusCode);

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task Both_schedulers_running_delete_each_expired_video_once()
    {
        var owner = await a.CreateUserAsync();
        var keys = Enumerable.Range(0, 6).Select(_ => $"videos/expired-{Guid.NewGuid():N}.mp4").ToArray();
        await using (var conn = a.OpenConnection())
            await conn.ExecuteAsync("""
                INSERT INTO videos (id, user_id, title, storage_provider, storage_key, video_url, content_type, size_bytes, created_at, expires_at)
                SELECT gen_random_uuid(), @owner, 'to expire', 'local', k, '/media/' || k, 'video/mp4', 8, now() - interval '15 days', now() - interval '1 day'
                FROM unnest(@keys) AS k
                """, new { owner = owner.Id, keys });

        await Poll.UntilAsync(async () =>
        {
            await using var conn = a.OpenConnection();
            return await conn.ExecuteScalarAsync<int>("""
                SELECT (SELECT count(*) FROM videos WHERE storage_key = ANY(@keys)) + (SELECT count(*) FROM storage_deletions WHERE storage_key = ANY(@keys))
                """, new { keys }) == 0;
        }, TimeSpan.FromSeconds(60), "the expired videos and their queued deletions are gone");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a few more scheduled runs on both hosts

        var counts = keys.ToDictionary(k => k, k => deleted.Count(d => d == k));
        Assert.That(counts.Values, Is.All.EqualTo(1), string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));
        Assert.That(Lines("Cleanup run skipped"), Is.Zero, "runs never met each other's lock: the cluster lock took turns");
    }

    [Test]
    public async Task Both_hosts_media_workers_process_each_upload_once()
    {
        var owner = await a.CreateUserAsync();
        var source = await MediaSamples.VideoAsync(320, 240, seconds: 0.5, audio: false);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++) ids.Add(await a.SeedProcessingAsync(owner, source));

        foreach (var id in ids)
            Assert.That((await owner.WaitUntilProcessedAsync(id, seconds: 120)).GetProperty("status").GetString(), Is.EqualTo("ready"));

        Assert.Multiple(() =>
        {
            foreach (var id in ids)
            {
                Assert.That(Lines($"Video {id} processed"), Is.EqualTo(1), $"video {id} processed once");
                Assert.That(Lines($"Video {id} processed", "on attempt 1: ready"), Is.EqualTo(1), $"video {id} claimed once");
            }
        });
    }

    [Test]
    public async Task A_session_logged_out_on_host_A_cannot_be_refreshed_on_host_B()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var signUp = await a.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email = $"mi.{id}@example.test", password = "correct horse " + id, username = "mi_" + id });
        var session = await signUp.JsonAsync(HttpStatusCode.Created);
        var login = await (await b.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = $"mi.{id}@example.test", password = "correct horse " + id })).JsonAsync();
        static string Token(JsonElement s, string name) => s.GetProperty(name).GetString()!;

        var logout = await a.CreateClient(Token(session, "access_token")).PostAsync("/api/auth/logout", null);
        var refreshOnB = await b.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refresh_token = Token(session, "refresh_token") });
        var otherSessionOnB = await b.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refresh_token = Token(login, "refresh_token") });

        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await refreshOnB.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(otherSessionOnB.StatusCode, Is.EqualTo(HttpStatusCode.OK), "only the logged-out session ends");
    }

    private int Lines(params string[] texts) => logs.Text.Split('\n').Count(l => texts.All(t => l.Contains(t, StringComparison.Ordinal)));

    /// <summary>The real local store, noting every key it is asked to delete (both hosts note into one list).</summary>
    private sealed class RecordingStore(LocalFileStore inner, ConcurrentQueue<string> deleted) : IFileStore
    {
        public string Provider => inner.Provider;
        public int MaxDeleteBatch => inner.MaxDeleteBatch;

        public Task<IReadOnlyCollection<string>> DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
        {
            foreach (var key in keys) deleted.Enqueue(key);
            return inner.DeleteAsync(keys, ct);
        }

        public Task<IReadOnlyCollection<string>> FindByPathAsync(string path, CancellationToken ct) => inner.FindByPathAsync(path, ct);
    }
}
