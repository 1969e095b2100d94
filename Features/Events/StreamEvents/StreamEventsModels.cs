namespace IgLive.Service.Features.Events.StreamEvents;

public sealed record StreamEventsRequest
{
    /// <summary>A ticket from <c>POST /api/events/ticket</c> (or send a Bearer token): the caller's own events.</summary>
    [QueryParam] public string? Ticket { get; init; }
    /// <summary>Comma-separated video ids (at most 50) whose public events to follow.</summary>
    [QueryParam] public string? Videos { get; init; }
    /// <summary>Set by EventSource on reconnect: the caller's notifications changed after it are sent first.</summary>
    [FromHeader("Last-Event-ID", IsRequired = false)] public string? LastEventId { get; init; }

    internal Guid[] VideoIds => string.IsNullOrWhiteSpace(Videos) ? []
        : Videos.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).Distinct().ToArray();
}

public sealed class StreamEventsValidator : Validator<StreamEventsRequest>
{
    public const int MaxVideos = 50;

    public StreamEventsValidator()
    {
        RuleFor(r => r.Videos).Must(v => v is null || v.Split(',', StringSplitOptions.TrimEntries).All(x => Guid.TryParse(x, out _)))
            .WithMessage("videos must be comma-separated video ids");
        RuleFor(r => r.Videos).Must(v => v is null || v.Split(',').Length <= MaxVideos)
            .WithMessage($"videos may name at most {MaxVideos} ids");
        RuleFor(r => r.Ticket).MaximumLength(100).WithMessage("ticket is not a ticket");
    }
}
