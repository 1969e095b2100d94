using System.Text;

namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>
/// The words of a search box, extracted here so that no user text ever reaches a tsquery parser: a word is a run of
/// letters, digits and combining marks (anything else — operators, quotes, emoji, NUL — separates words). SQL then
/// unaccents each word and quotes it as one tsquery lexeme.
/// </summary>
public static class SearchTerms
{
    /// <summary>Words beyond this are ignored (an AND of more narrows nothing in practice).</summary>
    public const int MaxWords = 16;
    /// <summary>
    /// Longer words are cut: no lexeme in a title (150) or description word is longer in practice. Counted in characters
    /// (code points: <see cref="Length"/>), as PostgreSQL's length() counts the typo fallback's corrections, so a word of
    /// emoji-plane letters is cut where a correction is, and a cursor carrying either decodes again.
    /// </summary>
    public const int MaxWordLength = 64;
    /// <summary>The last word of a one-word search matches as a prefix from this length on; a one-letter prefix would match most of the index.</summary>
    public const int MinPrefixLength = 2;
    /// <summary>
    /// After other words the last matches as a prefix from this length on: there the GIN index reads every completion's
    /// postings (no cap as in a one-word search), and a two-letter prefix (`co`) is hundreds of thousands on the 1M-video seed.
    /// </summary>
    public const int MinPrefixLengthAfterWords = 3;

    /// <summary>The lower-cased words of <paramref name="text"/>, in order, at most <see cref="MaxWords"/>.</summary>
    public static string[] Words(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text)) return [];
        var word = new StringBuilder();
        var length = 0; // of word, in code points
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                if (length++ < MaxWordLength) word.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }
            length = 0;
            if (Flush(word, words)) break;
        }
        Flush(word, words);
        return words.ToArray();
    }

    /// <summary>Whether the last word should match as a prefix (long enough to be selective).</summary>
    public static bool PrefixLast(string[] words) =>
        words.Length > 0 && Length(words[^1]) >= (words.Length == 1 ? MinPrefixLength : MinPrefixLengthAfterWords);

    /// <summary>A word's length in characters (code points; a letter outside the BMP is one, not two UTF-16 units).</summary>
    public static int Length(string word) => word.EnumerateRunes().Count();

    private static bool IsWordRune(Rune r) => Rune.IsLetterOrDigit(r) || Rune.GetUnicodeCategory(r) is
        System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark;

    /// <returns>true when the list is full.</returns>
    private static bool Flush(StringBuilder word, List<string> words)
    {
        if (word.Length == 0) return words.Count >= MaxWords;
        if (words.Count < MaxWords) words.Add(word.ToString());
        word.Clear();
        return words.Count >= MaxWords;
    }
}
