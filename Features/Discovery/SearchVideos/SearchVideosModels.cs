using IgLive.Service.Features.Discovery.Ranking;

namespace IgLive.Service.Features.Discovery.SearchVideos;

public sealed record SearchVideosRequest
{
    /// <summary>What to look for, 1..200 characters after trimming. Any characters are accepted; words are runs of letters and digits.</summary>
    [QueryParam] public string Q { get; init; } = "";
    /// <summary>Page size, 1..50 (default 20).</summary>
    [QueryParam] public int Limit { get; init; } = 20;
    /// <summary>The previous page's <c>next_cursor</c>; absent for the first page.</summary>
    [QueryParam] public string? Cursor { get; init; }
}

public sealed class SearchVideosValidator : Validator<SearchVideosRequest>
{
    public SearchVideosValidator()
    {
        RuleFor(r => r.Q).Must(q => q.Trim().Length is >= 1 and <= 200).WithMessage("q must be 1 to 200 characters");
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
        RuleFor(r => r.Cursor).Must(c => ScoreCursor.TryDecode(c, out _, ScoreOrder.FullText, ScoreOrder.Fuzzy, ScoreOrder.FullTextWide, ScoreOrder.FuzzyWide))
            .When(r => r.Cursor is not null).WithMessage(ScoreCursor.Invalid);
    }
}
