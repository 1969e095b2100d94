using System.Net;
using System.Net.Http.Json;
using Dapper;
using IgLive.Service.Tests.Features.Moderation;
using IgLive.Service.Tests.Features.Videos.UploadVideo;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// The per-user quotas and the auth limits with <c>Redis:ConnectionString</c> set: two service hosts on one database and
/// one real Redis (<see cref="RedisServer.Shared"/>) count one budget. Quotas are small here; requests alternate hosts.
/// </summary>
[TestFixture]
public sealed class RateLimitQuotaTests
{
    private ServiceFactory a = null!;
    private ServiceFactory b = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var redis = await RedisServer.Shared;
        var settings = new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = redis.ConnectionString,
            ["Redis:KeyPrefix"] = "t" + Guid.NewGuid().ToString("N")[..12], // other fixtures share this Redis
            ["RateLimits:LikesPerMinute"] = "4",
            ["RateLimits:CommentsPerMinute"] = "3",
            ["RateLimits:UploadsPerHour"] = "2",
            ["RateLimits:EventTicketsPerMinute"] = "3",
            ["RateLimits:ReportsPerDay"] = "2",
            ["Auth:RateLimit:PerAddressPerMinute"] = "4",
            ["Auth:RateLimit:PerEmailPerMinute"] = "3",
        };
        a = await ServiceFactory.CreateAsync(settings);
        settings["Storage:LocalPath"] = a.StoragePath;
        b = await a.CreateSecondInstanceAsync(settings); // one deployment: B verifies A's tokens
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
    }

    /// <summary>The user's requests, alternating A, B, A, …</summary>
    private async Task<HttpStatusCode[]> AlternateAsync(TestUser user, int count, Func<HttpClient, int, Task<HttpResponseMessage>> send)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++) statuses.Add((await send(i % 2 == 0 ? user.Client : b.CreateClient(user.AccessToken), i)).StatusCode);
        return [.. statuses];
    }

    // With a window: Retry-After is what is left of it (the test runs in seconds, so more than half), not a constant.
    private static async Task AssertTooManyAsync(HttpResponseMessage rsp, string detail, int? windowSeconds = null)
    {
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(detail));
        var retryAfter = int.Parse(rsp.Headers.GetValues("Retry-After").Single());
        Assert.That(retryAfter, windowSeconds is { } w ? Is.InRange(w / 2, w + 1) : Is.InRange(1, 86_400));
    }

    [Test]
    public async Task Likes_on_two_hosts_share_one_budget_per_user_and_the_fifth_is_a_429()
    {
        var owner = await a.CreateUserAsync();
        var fan = await a.CreateUserAsync();
        var other = await a.CreateUserAsync();
        var video = await a.SeedVideoAsync(owner);

        var statuses = await AlternateAsync(fan, 4, (c, i) => c.SendAsync(new HttpRequestMessage(i % 2 == 0 ? HttpMethod.Put : HttpMethod.Delete, $"/api/videos/{video}/like")));
        var refused = await b.CreateClient(fan.AccessToken).PostAsync($"/api/videos/{video}/like", null);

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        await AssertTooManyAsync(refused, "likes", 60);
        Assert.That((await other.Client.PutAsync($"/api/videos/{video}/like", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "keyed by user, not shared by all");
    }

    [Test]
    public async Task The_fourth_comment_in_a_minute_is_a_429_whichever_host_takes_it()
    {
        var owner = await a.CreateUserAsync();
        var fan = await a.CreateUserAsync();
        var video = await a.SeedVideoAsync(owner);

        var statuses = await AlternateAsync(fan, 3, (c, i) => c.PostAsJsonAsync($"/api/videos/{video}/comments", new { text = $"c{i}" }));
        var refused = await b.CreateClient(fan.AccessToken).PostAsJsonAsync($"/api/videos/{video}/comments", new { text = "one too many" });

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Created));
        await AssertTooManyAsync(refused, "comments", 60);
        await using var conn = a.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM video_comments WHERE video_id = @video", new { video }), Is.EqualTo(3));
    }

    [Test]
    public async Task The_third_upload_in_an_hour_is_a_429_and_stores_nothing()
    {
        var user = await a.CreateUserAsync();
        var bytes = UploadHelpers.Fixture("tiny.mp4");

        var statuses = await AlternateAsync(user, 2, (c, i) => c.PostAsync("/api/videos", UploadHelpers.Form(new ByteArrayContent(bytes), $"clip {i}")));
        var refused = await user.Client.PostAsync("/api/videos", UploadHelpers.Form(new ByteArrayContent(bytes), "one too many"));

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Created));
        await AssertTooManyAsync(refused, "uploads", 3600);
        await using var conn = a.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM videos WHERE user_id = @id", new { id = user.Id }), Is.EqualTo(2));
    }

    [Test]
    public async Task The_fourth_event_ticket_in_a_minute_is_a_429()
    {
        var user = await a.CreateUserAsync();

        var statuses = await AlternateAsync(user, 3, (c, _) => c.PostAsync("/api/events/ticket", null));
        var refused = await b.CreateClient(user.AccessToken).PostAsync("/api/events/ticket", null);

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        await AssertTooManyAsync(refused, "event tickets", 60);
    }

    [Test]
    public async Task The_third_new_report_in_a_day_is_a_429_on_either_host_and_a_repeated_report_is_free()
    {
        var author = await a.CreateUserAsync();
        var reporter = await a.CreateUserAsync();
        var videos = new[] { await a.SeedVideoAsync(author), await a.SeedVideoAsync(author), await a.SeedVideoAsync(author) };

        var first = await reporter.ReportAsync("video", videos[0]);
        var again = await reporter.ReportAsync("video", videos[0]);
        var second = await b.CreateClient(reporter.AccessToken).PostAsJsonAsync("/api/reports", new { target_type = "video", target_id = videos[1].ToString(), reason = "spam" });
        var refused = await b.CreateClient(reporter.AccessToken).PostAsJsonAsync("/api/reports", new { target_type = "video", target_id = videos[2].ToString(), reason = "spam" });

        Assert.That(new[] { first.StatusCode, again.StatusCode, second.StatusCode },
            Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created }));
        await AssertTooManyAsync(refused, "2 reports");
    }

    [Test]
    public async Task Login_attempts_share_the_per_email_and_per_address_budgets_across_hosts()
    {
        var email = $"nobody-{Guid.NewGuid():N}@example.test";
        Task<HttpResponseMessage> LogIn(HttpClient c, string who) => c.PostAsJsonAsync("/api/auth/login", new { email = who, password = "not the password" });

        var statuses = new[]
        {
            (await LogIn(a.CreateClient(), email)).StatusCode,
            (await LogIn(b.CreateClient(), email)).StatusCode,
            (await LogIn(a.CreateClient(), email)).StatusCode,
        };
        var perEmail = await LogIn(b.CreateClient(), email); // the fourth attempt at this e-mail, the fourth from this address
        var perAddress = await LogIn(a.CreateClient(), "someone-else@example.test"); // the fifth from this address

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Unauthorized));
        await AssertTooManyAsync(perEmail, "attempts");
        await AssertTooManyAsync(perAddress, "this address");
    }
}
