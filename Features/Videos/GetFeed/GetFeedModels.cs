namespace IgLive.Service.Features.Videos.GetFeed;

public sealed record GetFeedRequest : PageRequest;

public sealed class GetFeedValidator : Validator<GetFeedRequest>
{
    public GetFeedValidator() => Include(PageRequestValidator.Instance);
}
