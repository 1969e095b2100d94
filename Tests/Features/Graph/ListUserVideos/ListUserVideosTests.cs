using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Graph.ListUserVideos;

[TestFixture]
public sealed class ListUserVideosTests : ServiceFixture
{
    [Test]
    public async Task A_profile_lists_its_visible_videos_newest_first_and_the_owner_also_sees_unready_ones()
    {
        var owner = await App.CreateUserAsync();
        var other = await App.CreateUserAsync();
        var ready = new List<Guid>();
        for (var i = 0; i < 5; i++) ready.Add(await App.SeedVideoAsync(owner));
        var processing = await App.SeedVideoAsync(owner);
        await App.SeedVideoAsync(other);
        await App.SeedVideoAsync(owner, expiresAt: App.Clock.GetUtcNow().AddMinutes(1));
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("UPDATE videos SET status = 'processing' WHERE id = @processing", new { processing });
        App.Clock.Advance(TimeSpan.FromMinutes(2));

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await App.CreateClient().GetAsync($"/api/users/{owner.Username}/videos?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"))).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(ready)));

        var own = await (await owner.Client.GetAsync($"/api/users/{owner.Username}/videos?limit=50")).JsonAsync();
        Assert.That(own.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()),
            Is.EqualTo(new[] { processing }.Concat(Enumerable.Reverse(ready))));
        await (await App.CreateClient().GetAsync("/api/users/nobody_here_at_all/videos")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await App.CreateClient().GetAsync($"/api/users/{owner.Username}/videos?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
