namespace IgLive.Service.Features.Videos.GetFeed;

public sealed record GetFeedRequest
{
    /// <summary>Page size, 1..50 (default 20).</summary>
    [QueryParam] public int Limit { get; init; } = 20;
    /// <summary>The previous page's <c>next_cursor</c>; absent for the first page.</summary>
    [QueryParam] public string? Cursor { get; init; }
}

public sealed class GetFeedValidator : Validator<GetFeedRequest>
{
    public GetFeedValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
        RuleFor(r => r.Cursor).Must(c => Common.Cursor.TryDecode(c, out _)).When(r => r.Cursor is not null)
            .WithMessage(Common.Cursor.Invalid);
    }
}
