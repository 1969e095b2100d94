using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Discovery.SearchVideos;

[TestFixture]
public sealed class SearchVideosTests : ServiceFixture
{
    private static string Search(string q, int limit = 20) => $"/api/videos/search?limit={limit}&q={Uri.EscapeDataString(q)}";

    [Test]
    public async Task A_title_match_ranks_above_a_tag_match_above_a_description_match()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var t0 = App.Clock.GetUtcNow().AddMinutes(-10);
        // Oldest first, so recency alone would give the opposite order.
        var inTitle = await App.VideoAsync(user, $"Evening {w} walk", createdAt: t0);
        var inTag = await App.VideoAsync(user, "Evening walk", tags: [w, "walk"], createdAt: t0.AddMinutes(1));
        var inDescription = await App.VideoAsync(user, "Evening walk", description: $"We went for a {w} walk by the sea.", createdAt: t0.AddMinutes(2));

        var page = await App.CreateClient().GetJsonAsync(Search(w));

        Assert.That(page.Ids(), Is.EqualTo(new[] { inTitle, inTag, inDescription }));
    }

    [Test]
    public async Task Accents_and_case_are_ignored_both_ways()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var cafe = await App.VideoAsync(user, $"Café {w}");
        var plain = await App.VideoAsync(user, $"cafe {w} again");
        var client = App.CreateClient();

        Assert.That((await client.GetJsonAsync(Search($"cafe {w}"))).Ids(), Is.EquivalentTo(new[] { cafe, plain }));
        Assert.That((await client.GetJsonAsync(Search($"CAFÉ {w.ToUpperInvariant()}"))).Ids(), Is.EquivalentTo(new[] { cafe, plain }));
    }

    [Test]
    public async Task The_last_word_matches_as_a_prefix()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var sunset = await App.VideoAsync(user, $"{w} Sunset over the bay");
        var client = App.CreateClient();

        Assert.That((await client.GetJsonAsync(Search($"{w} sun"))).Ids(), Is.EqualTo(new[] { sunset }));
        Assert.That((await client.GetJsonAsync(Search("sun", 50))).Ids(), Does.Contain(sunset));
        Assert.That((await client.GetJsonAsync(Search($"sun {w}"))).Ids(), Is.EqualTo(new[] { sunset }), "words in any order");
        Assert.That((await client.GetJsonAsync(Search($"{w[..5]}"))).Ids(), Does.Contain(sunset), "a prefix of the unique word");
    }

    [Test]
    public async Task After_other_words_the_last_matches_as_a_prefix_from_three_letters()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        // Not `su`: a two-letter word in the shared database would become other tests' closest correction of `sun`.
        var ocean = await App.VideoAsync(user, $"{w} Ocean");
        var oc = await App.VideoAsync(user, $"{w} oc");
        var client = App.CreateClient();

        Assert.That((await client.GetJsonAsync(Search($"{w} oce"))).Ids(), Is.EqualTo(new[] { ocean }));
        Assert.That((await client.GetJsonAsync(Search($"{w} oc"))).Ids(), Is.EqualTo(new[] { oc }), "two letters: the word itself");
        Assert.That((await client.GetJsonAsync(Search(w[..2]))).Ids(), Is.Not.Empty, "alone, two letters are a prefix");
    }

    [Test]
    public async Task A_correction_that_changes_no_word_is_empty()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        await App.VideoAsync(user, $"{w}e clip");
        await using var conn = App.OpenConnection();
        async Task<string[]> CorrectAsync(params string[] words) =>
            await Dapper.SqlMapper.QuerySingleAsync<string[]>(conn, IgLive.Service.Features.Discovery.SearchVideos.SearchVideosSql.Correct, new { Words = words });

        Assert.That(await CorrectAsync($"{w}é"), Is.Empty, "the closest word is the typed one unaccented");
        Assert.That(await CorrectAsync("qqxjzvwkq"), Is.Empty, "nothing close");
        Assert.That(await CorrectAsync($"{w}é", DiscoveryData.Typo(w + "e")), Is.EqualTo(new[] { $"{w}e", $"{w}e" }));
        Assert.That(await CorrectAsync("qqxjzvwkq", DiscoveryData.Typo(w + "e")), Is.EqualTo(new[] { "qqxjzvwkq", $"{w}e" }), "a word kept among a corrected one");
    }

    [Test]
    public async Task A_misspelling_finds_the_word_through_the_trigram_fallback()
    {
        var user = await App.CreateUserAsync();
        var sunset = await App.VideoAsync(user, "Golden sunset");
        var other = await App.VideoAsync(user, "Morning coffee");
        var client = App.CreateClient();

        var page = await client.GetJsonAsync(Search("sunst"));
        Assert.That(page.Ids(), Does.Contain(sunset).And.Not.Contain(other));

        var typo = await client.GetJsonAsync(Search("goldn"));
        Assert.That(typo.Ids(), Does.Contain(sunset));
        Assert.That((await client.GetJsonAsync(Search("qqxjzvwk"))).Ids(), Is.Empty, "no close spelling either");
    }

    [Test]
    public async Task Expired_removed_processing_and_suspended_authors_videos_are_never_found()
    {
        var user = await App.CreateUserAsync();
        var suspended = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var now = App.Clock.GetUtcNow();
        var visible = await App.VideoAsync(user, $"{w} visible");
        var expired = await App.VideoAsync(user, $"{w} expired", createdAt: now.AddDays(-15), expiresAt: now.AddMinutes(-1));
        var removed = await App.VideoAsync(user, $"{w} removed");
        var processing = await App.VideoAsync(user, $"{w} processing");
        var ofSuspended = await App.VideoAsync(suspended, $"{w} suspended");
        await App.ExecAsync("UPDATE videos SET removed_at = now() WHERE id = @removed", new { removed });
        await App.ExecAsync("UPDATE videos SET status = 'processing' WHERE id = @processing", new { processing });
        await App.ExecAsync("UPDATE profiles SET suspended_at = now() WHERE id = @id", new { id = suspended.Id });

        Assert.That((await App.CreateClient().GetJsonAsync(Search(w))).Ids(), Is.EqualTo(new[] { visible }));
        Assert.That((await App.CreateClient().GetJsonAsync(Search(DiscoveryData.Typo(w)))).Ids(), Does.Not.Contain(expired).And.Not.Contain(removed)
            .And.Not.Contain(processing).And.Not.Contain(ofSuspended), "nor by the trigram fallback");
    }

    [Test]
    public async Task A_block_either_way_hides_the_authors_videos_from_the_other()
    {
        var author = await App.CreateUserAsync();
        var blocker = await App.CreateUserAsync();
        var blocked = await App.CreateUserAsync();
        var bystander = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var video = await App.VideoAsync(author, $"{w} clip");
        await App.BlockAsync(blocker, author);
        await App.BlockAsync(author, blocked);

        Assert.That((await blocker.Client.GetJsonAsync(Search(w))).Ids(), Is.Empty, "the blocker does not see the blocked author");
        Assert.That((await blocked.Client.GetJsonAsync(Search(w))).Ids(), Is.Empty, "the blocked user does not see the blocker");
        Assert.That((await blocked.Client.GetJsonAsync(Search(DiscoveryData.Typo(w)))).Ids(), Is.Empty, "nor through the trigram fallback");
        Assert.That((await bystander.Client.GetJsonAsync(Search(w))).Ids(), Is.EqualTo(new[] { video }));
        Assert.That((await App.CreateClient().GetJsonAsync(Search(w))).Ids(), Is.EqualTo(new[] { video }));
    }

    [Test]
    public async Task Pages_follow_the_ranking_without_repeating_or_skipping()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var t0 = App.Clock.GetUtcNow().AddHours(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 23; i++)
        {
            // Three ranks (title, tag, description), several videos per rank and some with the same created_at.
            var at = t0.AddSeconds(i / 2);
            ids.Add((i % 3) switch
            {
                0 => await App.VideoAsync(user, $"{w} number {i}", createdAt: at),
                1 => await App.VideoAsync(user, $"number {i}", tags: [w], createdAt: at),
                _ => await App.VideoAsync(user, $"number {i}", description: $"about {w}", createdAt: at),
            });
        }
        var client = App.CreateClient();

        var onePage = (await client.GetJsonAsync(Search(w, 50))).Ids();
        var walked = await client.WalkAsync(Search(w, 4));

        Assert.That(onePage, Is.EquivalentTo(ids));
        Assert.That(walked, Is.EqualTo(onePage));
        // The fallback corrects the typo to the word of the titles and tags, then searches all three fields.
        var fuzzyAll = (await client.GetJsonAsync(Search(DiscoveryData.Typo(w), 50))).Ids();
        Assert.That(fuzzyAll, Is.EqualTo(onePage));
        Assert.That(await client.WalkAsync(Search(DiscoveryData.Typo(w), 4)), Is.EqualTo(fuzzyAll), "fallback pages too");
    }

    [Test]
    public async Task Liked_by_me_is_set_for_a_signed_in_caller_and_null_anonymously()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var video = await App.VideoAsync(user, $"{w} liked");
        await App.ExecAsync("INSERT INTO video_likes (video_id, user_id) VALUES (@video, @user)", new { video, user = user.Id });

        var mine = await user.Client.GetJsonAsync(Search(w));
        var anon = await App.CreateClient().GetJsonAsync(Search(w));

        Assert.That(mine.GetProperty("items")[0].GetProperty("liked_by_me").GetBoolean(), Is.True);
        Assert.That(anon.GetProperty("items")[0].GetProperty("liked_by_me").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        Assert.That(mine.GetProperty("items")[0].GetProperty("author").GetProperty("username").GetString(), Is.EqualTo(user.Username));
    }

    [Test]
    public async Task A_changed_title_adds_its_words_to_the_typo_dictionary_and_a_counter_update_adds_none()
    {
        var user = await App.CreateUserAsync();
        var video = await App.VideoAsync(user, "plain words");
        var word = DiscoveryData.Word();
        await using var conn = App.OpenConnection();
        const string count = "SELECT count(*) FROM search_lexemes WHERE lexeme = @word";
        var client = App.CreateClient();

        await App.ExecAsync("UPDATE videos SET likes_count = likes_count + 1 WHERE id = @video", new { video });
        Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn, count, new { word }), Is.Zero);
        await App.ExecAsync("UPDATE videos SET title = @title WHERE id = @video", new { video, title = $"now {word}" });
        Assert.That(await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn, count, new { word }), Is.EqualTo(1));
        Assert.That((await client.GetJsonAsync(Search(DiscoveryData.Typo(word)))).Ids(), Is.EqualTo(new[] { video }), "corrected to the new word");
    }

    [Test]
    public async Task Later_pages_of_a_corrected_search_continue_the_first_pages_correction()
    {
        var user = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var typo = DiscoveryData.Typo(w);
        var t0 = App.Clock.GetUtcNow().AddHours(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await App.VideoAsync(user, $"{w} {i}", createdAt: t0.AddMinutes(i)));
        var client = App.CreateClient();
        var first = await client.GetJsonAsync(Search(typo, 2));
        Assert.That(first.Ids(), Is.EqualTo(new[] { ids[4], ids[3] }), "corrected to the word of the titles");

        // Between pages the typed word becomes a word of the dictionary: a new correction would pick it (it is the
        // closest possible) and list this video instead of continuing.
        var exact = await App.VideoAsync(user, $"{typo} exact", createdAt: t0.AddMinutes(30));
        var rest = new List<Guid>();
        var cursor = first.GetProperty("next_cursor").GetString();
        while (cursor is not null)
        {
            var page = await client.GetJsonAsync(Search(typo, 2) + "&cursor=" + Uri.EscapeDataString(cursor));
            rest.AddRange(page.Ids());
            cursor = page.GetProperty("next_cursor").ValueKind == System.Text.Json.JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        }

        Assert.That(rest, Is.EqualTo(new[] { ids[2], ids[1], ids[0] }));
        Assert.That((await client.GetJsonAsync(Search(typo))).Ids(), Is.EqualTo(new[] { exact }), "a new search finds the exact word");
    }
}
