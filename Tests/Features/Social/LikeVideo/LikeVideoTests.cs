using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Social.LikeVideo;

[TestFixture]
public sealed class LikeVideoTests : ServiceFixture
{
    private static async Task<(bool Liked, long Count)> CallAsync(HttpClient client, HttpMethod method, Guid id)
    {
        var body = await (await client.SendAsync(new HttpRequestMessage(method, $"/api/videos/{id}/like"))).JsonAsync();
        return (body.GetProperty("liked").GetBoolean(), body.GetProperty("likes_count").GetInt64());
    }

    private async Task<(long Counter, long Rows)> CountsAsync(Guid id)
    {
        await using var conn = App.OpenConnection();
        return await conn.QuerySingleAsync<(long, long)>(
            "SELECT likes_count, (SELECT count(*) FROM video_likes WHERE video_id = v.id) FROM videos v WHERE id = @id", new { id });
    }

    [Test]
    public async Task Put_is_idempotent()
    {
        var author = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);

        Assert.That(await CallAsync(fan.Client, HttpMethod.Put, id), Is.EqualTo((true, 1L)));
        Assert.That(await CallAsync(fan.Client, HttpMethod.Put, id), Is.EqualTo((true, 1L)));
        Assert.That(await CountsAsync(id), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task Delete_is_idempotent_and_never_goes_negative()
    {
        var author = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);

        Assert.That(await CallAsync(fan.Client, HttpMethod.Delete, id), Is.EqualTo((false, 0L)));
        await CallAsync(fan.Client, HttpMethod.Put, id);
        Assert.That(await CallAsync(fan.Client, HttpMethod.Delete, id), Is.EqualTo((false, 0L)));
        Assert.That(await CallAsync(fan.Client, HttpMethod.Delete, id), Is.EqualTo((false, 0L)));
        Assert.That(await CountsAsync(id), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Post_toggles()
    {
        var author = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var other = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        await CallAsync(other.Client, HttpMethod.Put, id);

        Assert.That(await CallAsync(fan.Client, HttpMethod.Post, id), Is.EqualTo((true, 2L)));
        Assert.That(await CallAsync(fan.Client, HttpMethod.Post, id), Is.EqualTo((false, 1L)));
        Assert.That(await CallAsync(fan.Client, HttpMethod.Post, id), Is.EqualTo((true, 2L)));
        Assert.That(await CountsAsync(id), Is.EqualTo((2L, 2L)));
    }

    [Test]
    public async Task Liking_needs_a_token()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Post })
            await (await App.CreateClient().SendAsync(new HttpRequestMessage(method, $"/api/videos/{id}/like"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(await CountsAsync(id), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Unknown_expired_and_malformed_videos_are_refused_and_nothing_changes()
    {
        var author = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var expired = await App.SeedVideoAsync(author, expiresAt: App.Clock.GetUtcNow().AddSeconds(-1));
        // A like left over from before the video expired must not be removable (the counter would drift from nothing).
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("""
                INSERT INTO video_likes (video_id, user_id) VALUES (@expired, @fan);
                UPDATE videos SET likes_count = 1 WHERE id = @expired
                """, new { expired, fan = fan.Id });

        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Post })
        {
            await (await fan.Client.SendAsync(new HttpRequestMessage(method, $"/api/videos/{expired}/like"))).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await fan.Client.SendAsync(new HttpRequestMessage(method, $"/api/videos/{Guid.NewGuid()}/like"))).AssertProblemAsync(HttpStatusCode.NotFound);
            var malformed = await fan.Client.SendAsync(new HttpRequestMessage(method, "/api/videos/nope/like"));
            Assert.That(malformed.StatusCode, Is.AnyOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound));
            await malformed.AssertProblemAsync(malformed.StatusCode);
        }
        Assert.That(await CountsAsync(expired), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task Like_storm_keeps_the_counter_exact()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        var users = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => App.CreateUserAsync()));
        var methods = new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Post };

        // Users act in parallel; each user's calls are in sequence so "their last answer" is well defined.
        var last = await Task.WhenAll(users.Select(async (u, n) =>
        {
            var random = new Random(n);
            (bool Liked, long Count) answer = default;
            for (var i = 0; i < 8; i++)
            {
                answer = await CallAsync(u.Client, methods[random.Next(methods.Length)], id);
                Assert.That(answer.Count, Is.GreaterThanOrEqualTo(0));
            }
            return answer.Liked;
        }));

        var (counter, rows) = await CountsAsync(id);
        Assert.That(counter, Is.EqualTo(last.Count(l => l)));
        Assert.That(rows, Is.EqualTo(counter));
        var body = await (await App.CreateClient().GetAsync($"/api/videos/{id}")).JsonAsync();
        Assert.That(body.GetProperty("likes_count").GetInt64(), Is.EqualTo(counter));
    }

    [TestCase(16)]
    [TestCase(15)]
    public async Task Concurrent_toggles_by_the_same_user_alternate(int toggles)
    {
        var author = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);

        var answers = await Task.WhenAll(Enumerable.Range(0, toggles).Select(async _ =>
        {
            using var client = App.CreateClient(fan.AccessToken);
            return await CallAsync(client, HttpMethod.Post, id);
        }));

        // Serialised by the video row lock, n toggles leave the like on exactly when n is odd, and the answers
        // alternate: as many "liked" answers as "unliked" ones (one more when n is odd).
        var expected = toggles % 2;
        Assert.That(await CountsAsync(id), Is.EqualTo(((long)expected, (long)expected)));
        Assert.That(answers.Count(a => a.Liked) - answers.Count(a => !a.Liked), Is.EqualTo(expected));
        Assert.That(answers.Select(a => a.Count), Is.All.InRange(0L, 1L));
    }

    [Test]
    public async Task Concurrent_mixed_calls_by_many_users_on_one_video_keep_rows_and_counter_equal()
    {
        var author = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(author);
        var users = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => App.CreateUserAsync()));
        var methods = new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Post };
        var random = new Random(42);
        var calls = Enumerable.Range(0, 120).Select(_ => (users[random.Next(users.Length)], methods[random.Next(3)])).ToList();

        // Every call at once, including several by the same user racing each other.
        await Task.WhenAll(calls.Select(c => CallAsync(c.Item1.Client, c.Item2, id)));

        var (counter, rows) = await CountsAsync(id);
        Assert.That(counter, Is.EqualTo(rows));
        Assert.That(counter, Is.InRange(0, users.Length));
    }
}
