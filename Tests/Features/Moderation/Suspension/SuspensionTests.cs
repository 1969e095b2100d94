using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Moderation.Suspension;

[TestFixture]
public sealed class SuspensionTests : ServiceFixture
{
    // The routes that only serve reading (marked AllowedWhileSuspended); every other write must be refused.
    private static readonly string[] AllowedWhileSuspended =
        ["POST /api/auth/logout", "POST /api/auth/refresh", "POST /api/videos/{id}/views", "POST /api/events/ticket",
         "POST /auth/v1/logout", "POST /auth/v1/token"];

    [Test]
    public async Task A_suspended_user_is_refused_every_write_route_of_the_api()
    {
        var (suspended, other, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(other);
        var comment = await App.SeedCommentAsync(other, video);
        await SuspendAsync(moderator, suspended);

        var writes = await WriteRoutesAsync();
        Assert.That(writes, Is.SupersetOf(new[]
        {
            "POST /api/videos", "DELETE /api/videos/{id}", "PUT /api/videos/{id}/like", "DELETE /api/videos/{id}/like",
            "POST /api/videos/{id}/comments", "DELETE /api/videos/{id}/comments/{comment_id}", "PATCH /api/me", "POST /api/reports",
        }), "the walk sees the known write routes");
        var refused = new List<string>();
        foreach (var route in writes.Except(AllowedWhileSuspended))
        {
            var rsp = await suspended.Client.SendAsync(RequestFor(route, video, comment, other.Username));
            var body = await rsp.Content.ReadAsStringAsync();
            Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{route}: {body}");
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Account suspended"), route);
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("suspended"), route);
            refused.Add(route);
        }
        TestContext.Out.WriteLine($"refused {refused.Count} write routes: {string.Join(", ", refused)}");

        await using var conn = App.OpenConnection();
        Assert.That(await conn.QuerySingleAsync<(long, long)>("SELECT likes_count, comments_count FROM videos WHERE id = @video", new { video }),
            Is.EqualTo((0L, 1L)), "nothing was written");
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM reports WHERE reporter_id = @id", new { id = suspended.Id }), Is.Zero);
    }

    [Test]
    public async Task A_suspended_user_keeps_reading_and_recording_views()
    {
        var (suspended, other, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(other);
        await SuspendAsync(moderator, suspended);

        await (await suspended.Client.GetAsync("/api/me")).JsonAsync();
        await (await suspended.Client.GetAsync("/api/videos/feed")).JsonAsync();
        await (await suspended.Client.GetAsync($"/api/videos/{video}")).JsonAsync();
        await (await suspended.Client.GetAsync($"/api/videos/{video}/comments")).JsonAsync();
        await (await suspended.Client.GetAsync($"/api/users/{other.Username}")).JsonAsync();
        var view = await suspended.Client.PostAsync($"/api/videos/{video}/views", null);
        Assert.That((int)view.StatusCode, Is.InRange(200, 299), await view.Content.ReadAsStringAsync());
        var ticket = await (await suspended.Client.PostAsync("/api/events/ticket", null)).JsonAsync();
        Assert.That(ticket.GetProperty("ticket").GetString(), Is.Not.Empty, "live updates are reading");
    }

    [Test]
    public async Task A_suspended_user_of_the_supabase_protocol_can_still_refresh_and_sign_out()
    {
        var username = "s" + Guid.NewGuid().ToString("N")[..12];
        var session = await (await App.CreateClient().PostAsJsonAsync("/api/auth/signup",
            new { email = $"{username}@example.test", password = "long-enough-1", username })).JsonAsync(HttpStatusCode.Created);
        var token = session.GetProperty("access_token").GetString()!;
        var user = new TestUser(session.GetProperty("user").GetProperty("id").GetGuid(), username, $"{username}@example.test", token,
            App.CreateClient(token));
        user.Client.DefaultRequestHeaders.Add("apikey", ServiceFactory.AnonKey);
        await SuspendAsync(await App.CreateModeratorAsync(), user);

        // supabase-js refreshes and signs out through GoTrue's routes, with the user's bearer.
        var refreshed = await user.Client.PostAsJsonAsync("/auth/v1/token?grant_type=refresh_token",
            new { refresh_token = session.GetProperty("refresh_token").GetString() });
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await refreshed.Content.ReadAsStringAsync());
        var signedOut = await user.Client.PostAsync("/auth/v1/logout?scope=global", null);
        Assert.That(signedOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await signedOut.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Lifting_a_suspension_lets_the_user_write_again_and_is_audited()
    {
        var (suspended, other, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(other);
        await SuspendAsync(moderator, suspended);
        await (await suspended.Client.PutAsync($"/api/videos/{video}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);

        var lift = await moderator.Client.DeleteAsync($"/api/moderation/suspensions/{suspended.Username}");
        Assert.That(lift.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await suspended.Client.PutAsync($"/api/videos/{video}/like", null)).JsonAsync();
        Assert.That((await moderator.Client.DeleteAsync($"/api/moderation/suspensions/{suspended.Username}")).StatusCode,
            Is.EqualTo(HttpStatusCode.NoContent), "idempotent");
        await (await moderator.Client.DeleteAsync("/api/moderation/suspensions/nobody_here_x")).AssertProblemAsync(HttpStatusCode.NotFound);

        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<bool>("SELECT suspended_at IS NULL FROM profiles WHERE id = @id", new { id = suspended.Id }), Is.True);
        var lifts = await conn.QueryAsync<string>("SELECT moderator_name FROM moderation_actions WHERE action = 'lift_suspension' AND target_id = @id",
            new { id = suspended.Id });
        Assert.That(lifts, Is.EqualTo(new[] { moderator.Username }), "one audit entry: the second lift changed nothing");
    }

    /// <summary>Reports the user and resolves the case with suspend_author, as a moderator would.</summary>
    private async Task SuspendAsync(TestUser moderator, TestUser user)
    {
        var reporter = await App.CreateUserAsync();
        var @case = await reporter.ReportedCaseAsync(moderator, "user", user.Id, "harassment");
        await moderator.ResolveAsync(@case, "suspend_author");
    }

    /// <summary>Every non-GET operation of the OpenAPI document as "METHOD /path", so a route added later is walked too.</summary>
    private async Task<List<string>> WriteRoutesAsync()
    {
        var doc = await (await App.CreateClient(null).GetAsync("/openapi/v1.json")).JsonAsync();
        return doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {p.Name}"))
            .Where(r => !r.StartsWith("GET ", StringComparison.Ordinal) && !r.StartsWith("HEAD ", StringComparison.Ordinal)
                        && !r.StartsWith("OPTIONS ", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>A plausible request for the route: real ids for its parameters and a small valid-looking JSON body.</summary>
    private static HttpRequestMessage RequestFor(string route, Guid video, Guid comment, string username)
    {
        var (method, path) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        var url = System.Text.RegularExpressions.Regex.Replace(path, @"\{([a-z_]+)\}", m => m.Groups[1].Value switch
        {
            "comment_id" => comment.ToString(),
            "username" => username,
            _ => video.ToString(),
        });
        return new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = JsonContent.Create(new { text = "hello", target_type = "video", target_id = video.ToString(), reason = "spam", action = "dismiss" }),
        };
    }
}
