namespace IgLive.Service.Features.Notifications.ShareVideo;

public sealed record ShareVideoRequest
{
    /// <summary>The video's id.</summary>
    [BindFrom("id")] public Guid VideoId { get; init; }
    /// <summary>1..10 usernames to share the video with.</summary>
    public string[]? Usernames { get; init; }
}

/// <summary>Who got the video and who was skipped (unknown, blocked either way, or yourself).</summary>
public sealed record ShareVideoResponse
{
    /// <summary>Usernames (as stored) that received the share.</summary>
    public required IReadOnlyList<string> SharedWith { get; init; }
    /// <summary>Usernames as sent that were skipped.</summary>
    public required IReadOnlyList<string> Skipped { get; init; }
}

public sealed class ShareVideoValidator : Validator<ShareVideoRequest>
{
    public ShareVideoValidator()
    {
        RuleFor(r => r.Usernames).Must(u => u is { Length: >= 1 and <= 10 })
            .WithMessage("usernames must hold 1 to 10 usernames");
        RuleForEach(r => r.Usernames).Must(u => u is { Length: >= 1 and <= 100 })
            .WithMessage("each username must be 1 to 100 characters");
    }
}
