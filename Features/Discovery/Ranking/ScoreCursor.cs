using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>Which ordering a <see cref="ScoreCursor"/> continues.</summary>
public enum ScoreOrder : byte
{
    /// <summary>Full-text rank (ts_rank), then newest.</summary>
    FullText = 1,
    /// <summary>Full-text rank of the corrected words (the typo fallback), then newest.</summary>
    Fuzzy = 2,
    /// <summary>Trending score, then id.</summary>
    Trending = 3,
    /// <summary><see cref="FullText"/> whose one-word walk was widened (hidden videos filled the first walk).</summary>
    FullTextWide = 4,
    /// <summary><see cref="Fuzzy"/> whose one-word walk was widened.</summary>
    FuzzyWide = 5,
}

/// <summary>What a search cursor's order says.</summary>
public static class ScoreOrders
{
    public static bool IsSearch(this ScoreOrder o) => o is ScoreOrder.FullText or ScoreOrder.Fuzzy or ScoreOrder.FullTextWide or ScoreOrder.FuzzyWide;
    public static bool IsFuzzy(this ScoreOrder o) => o is ScoreOrder.Fuzzy or ScoreOrder.FuzzyWide;
    public static bool IsWide(this ScoreOrder o) => o is ScoreOrder.FullTextWide or ScoreOrder.FuzzyWide;
    /// <summary>The search order for a page: fuzzy or not, widened or not.</summary>
    public static ScoreOrder Search(bool fuzzy, bool wide) => (fuzzy, wide) switch
    {
        (false, false) => ScoreOrder.FullText, (true, false) => ScoreOrder.Fuzzy,
        (false, true) => ScoreOrder.FullTextWide, (true, true) => ScoreOrder.FuzzyWide,
    };
}

/// <summary>
/// Keyset position <c>(score, created_at, id)</c> of the last row of a ranked page, and for full-text search the
/// created_at window of the page's candidate set (<see cref="WindowFrom"/>..<see cref="WindowTo"/>) and, for the typo
/// fallback, the corrected words it searches (<see cref="Words"/>: later pages continue the first page's correction
/// instead of correcting again, which could pick other words as the dictionary changes) and, for a one-word prefix
/// search, the lexemes it searched (<see cref="Lexemes"/>: its most frequent completions, which uploads reorder, so later
/// pages walk the same ones; not carried when longer than <see cref="MaxLexemesByteLength"/>). Wire form: base64url of
/// 33 bytes — the order (1 byte), the score as an IEEE double (a float4 rank widens to it exactly, so the row
/// comparison in SQL finds the same row again), microseconds since the epoch, the id — plus 16 bytes (two times in
/// microseconds) when there is a window, plus the words as UTF-8 separated by NUL (no word contains one), plus, when
/// there are lexemes, the byte 0x01 and the lexemes the same way. Like
/// <see cref="Cursor"/>, unsigned: a forged value is only a position in a list the caller may read anyway (a forged
/// window only changes which visible matches are ranked, forged words are only another search), so decoding checks
/// the shape and the limits of a search's words (<see cref="SearchTerms"/>), nothing more.
/// </summary>
public readonly record struct ScoreCursor(ScoreOrder Order, double Score, DateTimeOffset CreatedAt, Guid Id,
    DateTimeOffset? WindowFrom = null, DateTimeOffset? WindowTo = null, string[]? Words = null, string[]? Lexemes = null)
{
    private const int ByteLength = 33;
    private const int WindowByteLength = ByteLength + 16;
    /// <summary>The words' bytes at most: <see cref="SearchTerms.MaxWords"/> words of 4-byte characters, separators.</summary>
    private const int MaxWordsByteLength = SearchTerms.MaxWords * (SearchTerms.MaxWordLength * 4 + 1);
    /// <summary>
    /// The carried lexemes' bytes at most (50 completions of ~8 letters are ~450): the cursor stays well inside Kestrel's
    /// 8 KiB request line. Longer lists are not carried; later pages then choose the completions again.
    /// </summary>
    public const int MaxLexemesByteLength = 2048;
    private const byte LexemesMark = 1;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    public const string Invalid = "cursor is not a value returned as next_cursor";

    public string Encode()
    {
        var windowed = WindowFrom is not null && WindowTo is not null;
        var words = windowed && Words is { Length: > 0 } w ? StrictUtf8.GetBytes(string.Join('\0', w)) : [];
        // Carried only when they decode again (TryWords' rules) and fit; else later pages choose them again.
        var lexemes = windowed && Lexemes is { Length: > 0 } l && l.All(IsCleanWord)
            ? StrictUtf8.GetBytes((char)LexemesMark + string.Join('\0', l)) : [];
        if (lexemes.Length > MaxLexemesByteLength + 1) lexemes = [];
        byte[] tail = [.. words, .. lexemes];
        var bytes = new byte[(windowed ? WindowByteLength : ByteLength) + tail.Length];
        bytes[0] = (byte)Order;
        BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(1), Score);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9), Micros(CreatedAt));
        Id.TryWriteBytes(bytes.AsSpan(17, 16), bigEndian: true, out _);
        if (windowed)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(33), Micros(WindowFrom!.Value));
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(41), Micros(WindowTo!.Value));
            tail.CopyTo(bytes.AsSpan(WindowByteLength));
        }
        return Base64Url.EncodeToString(bytes);
    }

    private static long Micros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static bool TryTime(long micros, out DateTimeOffset at)
    {
        at = default;
        if (micros < MinMicros || micros > MaxMicros) return false;
        at = DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
        return true;
    }

    /// <summary>Decodes a cursor of one of the <paramref name="allowed"/> orders; false for anything else.</summary>
    public static bool TryDecode(string? text, out ScoreCursor cursor, params ScoreOrder[] allowed)
    {
        cursor = default;
        if (text is null || text.Length < Base64Url.GetEncodedLength(ByteLength)
            || text.Length > Base64Url.GetEncodedLength(WindowByteLength + MaxWordsByteLength + 1 + MaxLexemesByteLength))
            return false;
        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != text.Length || (written != ByteLength && written < WindowByteLength))
            return false;
        var order = (ScoreOrder)bytes[0];
        var score = BinaryPrimitives.ReadDoubleBigEndian(bytes.AsSpan(1));
        if (!allowed.Contains(order) || !double.IsFinite(score) || !TryTime(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9)), out var at)) return false;
        // A search's rank is a float4 (ts_rank, the postings' rank) widened to double, and SQL narrows the cursor's back to
        // real: a score no float4 widens to (1e300 overflows, 1e-300 underflows: PostgreSQL raises) was never returned.
        if (order.IsSearch() && (double)(float)score != score) return false;
        DateTimeOffset? from = null, to = null;
        string[]? words = null, lexemes = null;
        if (written >= WindowByteLength)
        {
            if (!order.IsSearch() || !TryTime(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(33)), out var f)
                || !TryTime(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(41)), out var t) || f > t)
                return false;
            (from, to) = (f, t);
            var tail = bytes.AsSpan(WindowByteLength, written - WindowByteLength);
            // (A forged word with U+0001 in it splits there: only another search. No real word has a control character.)
            var mark = tail.IndexOf(LexemesMark);
            var wordBytes = mark < 0 ? tail : tail[..mark];
            // Only the typo fallback carries words (a fallback cursor without them is an older build's: corrected again).
            if (wordBytes.Length > 0 && (!order.IsFuzzy() || !TryWords(wordBytes, SearchTerms.MaxWords, SearchTerms.MaxWordLength, out words)))
                return false;
            if (mark >= 0 && (tail.Length - mark - 1 > MaxLexemesByteLength || !TryWords(tail[(mark + 1)..], MaxLexemesByteLength, MaxLexemesByteLength, out lexemes)))
                return false;
        }
        else if (order.IsSearch()) return false; // search pages always carry their candidate window
        cursor = new ScoreCursor(order, score, at, new Guid(bytes.AsSpan(17, 16), bigEndian: true), from, to, words, lexemes);
        return true;
    }

    /// <summary>1..<paramref name="max"/> words of 1..<paramref name="maxLength"/> characters (code points, as
    /// <see cref="SearchTerms"/> and SQL's length() count them), valid UTF-8, no control characters. (An indexed lexeme may
    /// be longer than a typed word: the carried lexemes are bounded by their bytes alone.)</summary>
    private static bool TryWords(ReadOnlySpan<byte> utf8, int max, int maxLength, out string[]? words)
    {
        words = null;
        string text;
        try { text = StrictUtf8.GetString(utf8); }
        catch (DecoderFallbackException) { return false; }
        var parts = text.Split('\0');
        if (parts.Length > max) return false;
        foreach (var w in parts)
            if (!IsCleanWord(w) || SearchTerms.Length(w) > maxLength) return false;
        words = parts;
        return true;
    }

    /// <summary>Not empty, no control character (NUL separates words, 0x01 marks the lexemes).</summary>
    private static bool IsCleanWord(string w) => w.Length > 0 && !w.Any(char.IsControl);

    private static readonly long MinMicros = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    private static readonly long MaxMicros = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
