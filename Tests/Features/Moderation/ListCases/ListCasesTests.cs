using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Moderation.ListCases;

[TestFixture]
public sealed class ListCasesTests : ServiceFixture
{
    [Test]
    public async Task Open_cases_come_most_reported_first_then_longest_waiting_across_pages()
    {
        var author = await App.CreateUserAsync();
        var moderator = await App.CreateModeratorAsync();
        var reporters = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => App.CreateUserAsync()));
        // Five targets reported 1, 3, 2, 3 and 4 times, in this order.
        var counts = new[] { 1, 3, 2, 3, 4 };
        var videos = new List<Guid>();
        foreach (var n in counts)
        {
            var video = await App.SeedVideoAsync(author);
            videos.Add(video);
            for (var i = 0; i < n; i++) await (await reporters[i].ReportAsync("video", video)).JsonAsync(HttpStatusCode.Created);
        }

        var order = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await moderator.Client.GetAsync("/api/moderation/cases?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            Assert.That(page.GetProperty("items").GetArrayLength(), Is.LessThanOrEqualTo(2));
            order.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("target_id").GetGuid()));
            cursor = page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);

        var mine = order.Where(videos.Contains).ToList();
        Assert.That(mine, Is.EqualTo(new[] { videos[4], videos[1], videos[3], videos[2], videos[0] }));
        Assert.That(order, Is.Unique);
    }

    [Test]
    public async Task Resolved_cases_are_listed_newest_resolution_first_and_leave_the_open_queue()
    {
        var moderator = await App.CreateModeratorAsync();
        var reporter = await App.CreateUserAsync();
        var users = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => App.CreateUserAsync()));
        var cases = new List<JsonElement>();
        foreach (var u in users) cases.Add(await reporter.ReportedCaseAsync(moderator, "user", u.Id));
        await moderator.ResolveAsync(cases[1], "dismiss");
        await moderator.ResolveAsync(cases[0], "dismiss");

        var resolved = await (await moderator.Client.GetAsync("/api/moderation/cases?status=resolved&limit=50")).JsonAsync();
        var open = await (await moderator.Client.GetAsync("/api/moderation/cases?status=open&limit=50")).JsonAsync();
        var resolvedIds = resolved.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        var openIds = open.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        Guid Id(int i) => cases[i].GetProperty("id").GetGuid();

        Assert.Multiple(() =>
        {
            Assert.That(resolvedIds.IndexOf(Id(0)), Is.LessThan(resolvedIds.IndexOf(Id(1))).And.Not.Negative);
            Assert.That(resolvedIds, Does.Not.Contain(Id(2)));
            Assert.That(openIds, Does.Contain(Id(2)).And.Not.Contain(Id(0)).And.Not.Contain(Id(1)));
            Assert.That(resolved.GetProperty("items")[0].GetProperty("resolution").GetProperty("action").GetString(), Is.EqualTo("dismiss"));
        });
    }

    [Test]
    public async Task Bad_status_limit_or_cursor_is_400()
    {
        var moderator = await App.CreateModeratorAsync();
        foreach (var query in new[] { "status=closed", "limit=0", "limit=51", "cursor=abc", "status=resolved&cursor=" + new string('A', 38) })
            await (await moderator.Client.GetAsync($"/api/moderation/cases?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Everyone_but_moderators_and_the_service_role_gets_403_on_every_moderation_route()
    {
        var user = await App.CreateUserAsync();
        var formerModerator = await App.CreateModeratorAsync();
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("DELETE FROM moderators WHERE user_id = @id", new { id = formerModerator.Id });
        var moderator = await App.CreateModeratorAsync();
        var service = App.CreateClient(App.ServiceRoleToken());
        var anonymous = App.CreateClient(null);

        var routes = await ModerationRoutesAsync();
        Assert.That(routes.Select(r => $"{r.Method} {r.Path}"), Is.SupersetOf(new[]
        {
            "GET /api/moderation/cases", "POST /api/moderation/cases/{id}/resolve", "DELETE /api/moderation/suspensions/{username}",
            "GET /api/moderation/actions",
        }));
        foreach (var (method, path) in routes)
        {
            var url = path.Replace("{id}", Guid.NewGuid().ToString()).Replace("{username}", user.Username);
            HttpRequestMessage Request() => new(new HttpMethod(method), url) { Content = JsonContent.Create(new { action = "dismiss" }) };
            await (await anonymous.SendAsync(Request())).AssertProblemAsync(HttpStatusCode.Unauthorized);
            foreach (var refused in new[] { user, formerModerator })
            {
                var problem = await (await refused.Client.SendAsync(Request())).AssertProblemAsync(HttpStatusCode.Forbidden);
                Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("moderators"), $"{method} {path}");
            }
            foreach (var allowed in new[] { moderator.Client, service })
                Assert.That((int)(await allowed.SendAsync(Request())).StatusCode, Is.Not.EqualTo(403).And.LessThan(500), $"{method} {path}");
        }
    }

    /// <summary>Every operation under /api/moderation in the OpenAPI document, so a new route is checked without listing it here.</summary>
    private async Task<List<(string Method, string Path)>> ModerationRoutesAsync()
    {
        var doc = await (await App.CreateClient(null).GetAsync("/openapi/v1.json")).JsonAsync();
        return doc.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/moderation", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(op => (op.Name.ToUpperInvariant(), p.Name)))
            .ToList();
    }
}
