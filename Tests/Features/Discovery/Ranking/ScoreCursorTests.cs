using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Tests.Features.Discovery.Ranking;

/// <summary>The lexemes a one-word prefix search's cursor carries (its completions): encoded, bounded, decoded.</summary>
[TestFixture]
public sealed class ScoreCursorTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    private static ScoreCursor Cursor(ScoreOrder order, string[]? words, string[]? lexemes) =>
        new(order, 0.5f, At, Guid.NewGuid(), At.AddHours(-1), At, words, lexemes);

    private static ScoreCursor? RoundTrip(ScoreCursor c) =>
        ScoreCursor.TryDecode(c.Encode(), out var d, ScoreOrder.FullText, ScoreOrder.Fuzzy) ? d : null;

    [Test]
    public void Lexemes_round_trip_with_and_without_the_fallbacks_words()
    {
        string[] lexemes = ["cofee", "coffee", "cöln", "co𝔘"];
        var plain = RoundTrip(Cursor(ScoreOrder.FullText, null, lexemes));
        Assert.That(plain?.Lexemes, Is.EqualTo(lexemes));
        Assert.That(plain?.Words, Is.Null);

        var fuzzy = RoundTrip(Cursor(ScoreOrder.Fuzzy, ["coffe"], lexemes));
        Assert.That(fuzzy?.Words, Is.EqualTo(new[] { "coffe" }));
        Assert.That(fuzzy?.Lexemes, Is.EqualTo(lexemes));

        Assert.That(RoundTrip(Cursor(ScoreOrder.FullText, null, null))?.Lexemes, Is.Null);
        Assert.That(RoundTrip(Cursor(ScoreOrder.Fuzzy, ["coffe"], null))?.Lexemes, Is.Null);
    }

    [Test]
    public void Lexemes_longer_than_the_limit_are_not_carried_and_a_forged_longer_list_is_refused()
    {
        var many = Enumerable.Range(0, ScoreCursor.MaxLexemesByteLength / 8 + 1).Select(i => $"w{i:D6}").ToArray(); // 7 bytes + NUL each
        var c = Cursor(ScoreOrder.FullText, null, many);
        Assert.That(RoundTrip(c)?.Lexemes, Is.Null, "dropped: later pages choose again");
        // At the edge: 256 lexemes of 7 bytes and their 255 separators are 2047 bytes; one more byte in the last is 2048.
        var fits = many[..(ScoreCursor.MaxLexemesByteLength / 8)];
        fits[^1] += "x";
        Assert.That(RoundTrip(Cursor(ScoreOrder.FullText, null, fits))?.Lexemes, Is.EqualTo(fits));
        fits[^1] += "x";
        Assert.That(RoundTrip(Cursor(ScoreOrder.FullText, null, fits))?.Lexemes, Is.Null, "one byte over");
        Assert.That(RoundTrip(Cursor(ScoreOrder.FullText, null, ["coffee", "co\u0002x"]))?.Lexemes, Is.Null, "one would not decode");

        // Forged: the mark, then more bytes than the limit; a control character; an empty lexeme.
        var window = System.Buffers.Text.Base64Url.DecodeFromChars(Cursor(ScoreOrder.FullText, null, null).Encode());
        string Forge(string tail) => System.Buffers.Text.Base64Url.EncodeToString([.. window, .. System.Text.Encoding.UTF8.GetBytes(tail)]);
        Assert.That(ScoreCursor.TryDecode(Forge("\u0001" + new string('x', ScoreCursor.MaxLexemesByteLength + 1)), out _, ScoreOrder.FullText), Is.False);
        Assert.That(ScoreCursor.TryDecode(Forge("\u0001" + new string('x', ScoreCursor.MaxLexemesByteLength)), out _, ScoreOrder.FullText), Is.True);
        Assert.That(ScoreCursor.TryDecode(Forge("\u0001a\u0002b"), out _, ScoreOrder.FullText), Is.False);
        Assert.That(ScoreCursor.TryDecode(Forge("\u0001a\0\0b"), out _, ScoreOrder.FullText), Is.False);
        Assert.That(ScoreCursor.TryDecode(Forge("word\u0001a"), out _, ScoreOrder.FullText), Is.False, "words on a full-text cursor");
    }
}
