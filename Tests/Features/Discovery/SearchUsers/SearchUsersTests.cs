using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Discovery.SearchUsers;

[TestFixture]
public sealed class SearchUsersTests : ServiceFixture
{
    private static string Search(string q) => $"/api/users/search?q={Uri.EscapeDataString(q)}";

    private static List<string> Usernames(JsonElement page)
        => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("username").GetString()!).ToList();

    [Test]
    public async Task Finds_people_by_the_beginning_of_their_username_or_display_name_words()
    {
        var w = DiscoveryData.Word();
        var exact = await App.CreateUserAsync(w);
        var longer = await App.CreateUserAsync(w + "_fan");
        var named = await App.CreateUserAsync("u" + Guid.NewGuid().ToString("N")[..10]);
        await App.ExecAsync("UPDATE profiles SET display_name = @name WHERE id = @id", new { name = $"María {w}ez", id = named.Id });
        var client = App.CreateClient();

        Assert.That(Usernames(await client.GetJsonAsync(Search(w))), Is.EqualTo(new[] { exact.Username, longer.Username, named.Username }),
            "the exact handle, then handles starting with it, then display names");
        Assert.That(Usernames(await client.GetJsonAsync(Search($"maria {w[..6]}"))), Is.EqualTo(new[] { named.Username }), "accents ignored");
        Assert.That(Usernames(await client.GetJsonAsync(Search(w.ToUpperInvariant() + "_F"))), Is.EqualTo(new[] { longer.Username }));
        var profile = (await client.GetJsonAsync(Search(w))).GetProperty("items")[0];
        Assert.That(profile.GetProperty("videos_count").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task Blocked_pairs_and_suspended_users_are_not_listed()
    {
        var w = DiscoveryData.Word();
        var blocker = await App.CreateUserAsync(w + "_blocker");
        var blocked = await App.CreateUserAsync(w + "_blocked");
        var suspended = await App.CreateUserAsync(w + "_suspended");
        var other = await App.CreateUserAsync(w + "_other");
        await App.BlockAsync(blocker, blocked);
        await App.ExecAsync("UPDATE profiles SET suspended_at = now() WHERE id = @id", new { id = suspended.Id });

        Assert.That(Usernames(await blocker.Client.GetJsonAsync(Search(w))), Is.EquivalentTo(new[] { blocker.Username, other.Username }));
        Assert.That(Usernames(await blocked.Client.GetJsonAsync(Search(w))), Is.EquivalentTo(new[] { blocked.Username, other.Username }));
        Assert.That(Usernames(await App.CreateClient().GetJsonAsync(Search(w))),
            Is.EquivalentTo(new[] { blocker.Username, blocked.Username, other.Username }));
    }

    [Test]
    public async Task An_email_address_is_never_searchable()
    {
        var secret = DiscoveryData.Word();
        var username = "s" + Guid.NewGuid().ToString("N")[..12];
        var rsp = await App.CreateClient().PostAsJsonAsync("/api/auth/signup", new { email = $"{secret}@example.test", password = "long-enough-1", username });
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.OK), await rsp.Content.ReadAsStringAsync());

        Assert.That(Usernames(await App.CreateClient().GetJsonAsync(Search(username))), Is.EqualTo(new[] { username }));
        Assert.That(Usernames(await App.CreateClient().GetJsonAsync(Search(secret))), Is.Empty);
        Assert.That(Usernames(await App.CreateClient().GetJsonAsync(Search($"{secret}@example.test"))), Is.Empty);
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task An_empty_query_is_a_400(string q)
        => await (await App.CreateClient().GetAsync(Search(q))).AssertProblemAsync(HttpStatusCode.BadRequest);

    [Test]
    public async Task A_query_over_100_characters_is_a_400()
        => await (await App.CreateClient().GetAsync(Search(new string('a', 101)))).AssertProblemAsync(HttpStatusCode.BadRequest);
}
