using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Tests.Features.Discovery.Ranking;

/// <summary>Words are cut at 64 characters counted as PostgreSQL counts them (code points), so a cursor carrying one decodes.</summary>
[TestFixture]
public sealed class SearchTermsTests
{
    [Test]
    public void A_word_of_letters_outside_the_BMP_is_cut_at_64_characters_and_rides_in_a_cursor()
    {
        var words = SearchTerms.Words(string.Concat(Enumerable.Repeat("𝔘", 70)) + " sunset");
        Assert.That(words, Has.Length.EqualTo(2));
        Assert.That(SearchTerms.Length(words[0]), Is.EqualTo(SearchTerms.MaxWordLength));
        Assert.That(words[0], Has.Length.EqualTo(2 * SearchTerms.MaxWordLength), "UTF-16 units");
        Assert.That(words[1], Is.EqualTo("sunset"));

        var at = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var cursor = new ScoreCursor(ScoreOrder.Fuzzy, 0.5f, at, Guid.NewGuid(), at.AddMinutes(-1), at, words).Encode();
        Assert.That(ScoreCursor.TryDecode(cursor, out var back, ScoreOrder.Fuzzy), Is.True);
        Assert.That(back.Words, Is.EqualTo(words));
    }

    [Test]
    public void The_last_word_is_a_prefix_from_two_letters_alone_and_three_after_others()
    {
        Assert.That(SearchTerms.PrefixLast(["su"]), Is.True);
        Assert.That(SearchTerms.PrefixLast(["s"]), Is.False);
        Assert.That(SearchTerms.PrefixLast(["golden", "su"]), Is.False);
        Assert.That(SearchTerms.PrefixLast(["golden", "sun"]), Is.True);
        Assert.That(SearchTerms.PrefixLast(["golden", "𝔘𝔘𝔘"]), Is.True, "three characters, six UTF-16 units");
        Assert.That(SearchTerms.PrefixLast(["golden", "𝔘"]), Is.False, "one character, two UTF-16 units");
    }
}
