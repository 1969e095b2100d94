namespace IgLive.Service.Features.Common;

/// <summary>The query of a newest-first list: the page size and the previous page's cursor.</summary>
public abstract record PageRequest
{
    /// <summary>Page size, 1..50 (default 20).</summary>
    [QueryParam] public int Limit { get; init; } = 20;
    /// <summary>The previous page's <c>next_cursor</c>; absent for the first page.</summary>
    [QueryParam] public string? Cursor { get; init; }
}

/// <summary>The rules of <see cref="PageRequest"/>; a list's validator includes them.</summary>
public sealed class PageRequestValidator : AbstractValidator<PageRequest>
{
    public static readonly PageRequestValidator Instance = new();

    public PageRequestValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
        RuleFor(r => r.Cursor).Must(c => Common.Cursor.TryDecode(c, out _)).When(r => r.Cursor is not null)
            .WithMessage(Common.Cursor.Invalid);
    }
}
