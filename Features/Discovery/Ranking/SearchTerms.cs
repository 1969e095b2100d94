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
    /// <summary>Longer words are cut: no lexeme in a title (150) or description word is longer in practice.</summary>
    public const int MaxWordLength = 64;
    /// <summary>The last word matches as a prefix from this length on; a one-letter prefix would match most of the index.</summary>
    public const int MinPrefixLength = 2;

    /// <summary>The lower-cased words of <paramref name="text"/>, in order, at most <see cref="MaxWords"/>.</summary>
    public static string[] Words(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text)) return [];
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                if (word.Length < MaxWordLength) word.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }
            if (Flush(word, words)) break;
        }
        Flush(word, words);
        return words.ToArray();
    }

    /// <summary>Whether the last word should match as a prefix (long enough to be selective).</summary>
    public static bool PrefixLast(string[] words) => words.Length > 0 && words[^1].Length >= MinPrefixLength;

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
