using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Discovery.SearchVideos;

/// <summary>
/// An instance remembers a typo's correction for Discovery:SearchCorrectionSeconds (60 by default): the same typo is
/// corrected to the same word again without probing the dictionary, even after the dictionary changed; with 0 it is
/// corrected anew every time.
/// </summary>
[TestFixture]
public sealed class SearchCorrectionCacheTests
{
    private ServiceFactory remembering = null!, forgetting = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        remembering = await ServiceFactory.CreateAsync();
        forgetting = await ServiceFactory.CreateAsync(new Dictionary<string, string?> { ["Discovery:SearchCorrectionSeconds"] = "0" });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await remembering.DisposeAsync();
        await forgetting.DisposeAsync();
    }

    private static string Search(string q) => $"/api/videos/search?limit=20&q={Uri.EscapeDataString(q)}";

    /// <summary>Searches a typo of a video's title word, renames the word to another close to the typo, searches again.</summary>
    private static async Task<(List<Guid> Before, List<Guid> After, Guid Video)> TypoThenRenameAsync(ServiceFactory app)
    {
        var user = await app.CreateUserAsync();
        var p = DiscoveryData.Word();
        var video = await app.VideoAsync(user, $"{p}ab clip");
        var client = app.CreateClient();
        var before = (await client.GetJsonAsync(Search(p + "xb"))).Ids(); // no word starts so: corrected to p+"ab"
        await app.ExecAsync("UPDATE videos SET title = @title WHERE id = @video", new { video, title = $"{p}cb clip" });
        var after = (await client.GetJsonAsync(Search(p + "xb"))).Ids();
        return (before, after, video);
    }

    [Test]
    public async Task A_typos_correction_is_remembered_though_the_dictionary_changed()
    {
        var (before, after, video) = await TypoThenRenameAsync(remembering);
        Assert.That(before, Is.EqualTo(new[] { video }));
        Assert.That(after, Is.Empty, "still corrected to the word the video no longer has");
    }

    [Test]
    public async Task With_no_memory_a_typo_is_corrected_against_the_current_dictionary()
    {
        var (before, after, video) = await TypoThenRenameAsync(forgetting);
        Assert.That(before, Is.EqualTo(new[] { video }));
        Assert.That(after, Is.EqualTo(new[] { video }), "corrected to its new word");
    }
}
