using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Profiles;

[TestFixture]
public sealed class ProfilesTests : ServiceFixture
{
    [Test]
    public async Task First_authenticated_call_creates_a_profile_from_the_token()
    {
        var id = Guid.NewGuid();
        var email = $"Maria.Lopez+{id.ToString("N")[..6]}@Example.test";
        var client = App.CreateClient(App.UserToken(id, email));

        var me = await (await client.GetAsync("/api/me")).JsonAsync();

        Assert.That(me.GetProperty("id").GetGuid(), Is.EqualTo(id));
        Assert.That(me.GetProperty("username").GetString(), Does.Match("^[a-z0-9_.]{3,30}$").And.StartWith("maria.lopez"));
        Assert.That(me.GetProperty("videos_count").GetInt64(), Is.Zero);
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM profiles WHERE id = @id", new { id }), Is.EqualTo(1));
    }

    [Test]
    public async Task Derived_usernames_stay_unique()
    {
        var a = App.CreateClient(App.UserToken(Guid.NewGuid(), "same.name@a.test"));
        var b = App.CreateClient(App.UserToken(Guid.NewGuid(), "same.name@b.test"));
        var first = (await (await a.GetAsync("/api/me")).JsonAsync()).GetProperty("username").GetString();
        var second = (await (await b.GetAsync("/api/me")).JsonAsync()).GetProperty("username").GetString();
        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public async Task Patch_changes_the_given_fields_verbatim()
    {
        var user = await App.CreateUserAsync();
        var bio = "<b>hi</b> & 'quotes' 🎬";
        var me = await (await user.Client.PatchAsJsonAsync("/api/me", new { display_name = "Ana", bio })).JsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That(me.GetProperty("display_name").GetString(), Is.EqualTo("Ana"));
            Assert.That(me.GetProperty("bio").GetString(), Is.EqualTo(bio));
            Assert.That(me.GetProperty("username").GetString(), Is.EqualTo(user.Username));
        });
    }

    [Test]
    public async Task An_explicit_null_clears_bio_and_avatar_url_and_an_absent_field_stays()
    {
        var user = await App.CreateUserAsync();
        await user.Client.PatchAsJsonAsync("/api/me", new { bio = "hello", avatar_url = "https://cdn.example.test/a.png", display_name = "Ana" });

        var cleared = await (await user.Client.PatchAsync("/api/me", Json("""{"bio": null}"""))).JsonAsync();
        Assert.That(cleared.GetProperty("bio").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        Assert.That(cleared.GetProperty("avatar_url").GetString(), Is.EqualTo("https://cdn.example.test/a.png"));

        var both = await (await user.Client.PatchAsync("/api/me", Json("""{"avatar_url": null, "display_name": null}"""))).JsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That(both.GetProperty("avatar_url").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(both.GetProperty("display_name").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(both.GetProperty("username").GetString(), Is.EqualTo(user.Username));
        });
    }

    [TestCase("http://cdn.example.test/a.png")]
    [TestCase("javascript:alert(1)")]
    [TestCase("data:image/png;base64,AAAA")]
    public async Task An_avatar_url_that_is_not_https_is_a_400(string url)
    {
        var user = await App.CreateUserAsync();
        var rsp = await user.Client.PatchAsJsonAsync("/api/me", new { avatar_url = url });
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("avatar_url", out _), Is.True);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Test]
    public async Task Taken_username_is_a_409()
    {
        var taken = await App.CreateUserAsync();
        var user = await App.CreateUserAsync();
        var rsp = await user.Client.PatchAsJsonAsync("/api/me", new { username = taken.Username });
        await rsp.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Public_profile_counts_live_videos_only()
    {
        var user = await App.CreateUserAsync();
        await App.SeedVideoAsync(user);
        await App.SeedVideoAsync(user, expiresAt: App.Clock.GetUtcNow().AddMinutes(-1));
        var profile = await (await App.CreateClient().GetAsync($"/api/users/{user.Username.ToUpperInvariant()}")).JsonAsync();
        Assert.That(profile.GetProperty("videos_count").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task Unknown_user_is_a_404()
    {
        var rsp = await App.CreateClient().GetAsync("/api/users/nobody_here_x");
        await rsp.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
