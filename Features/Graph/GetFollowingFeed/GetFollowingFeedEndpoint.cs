using IgLive.Service.Features.Videos.GetFeed;

namespace IgLive.Service.Features.Graph.GetFollowingFeed;

public sealed class GetFollowingFeedEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<GetFeedRequest, Page<VideoDto>>
{
    public override void Configure()
    {
        Get("/api/videos/following");
        Summary(s =>
        {
            s.Summary = "Visible videos of the people the caller follows, newest first";
            s.Description = "Keyset-paginated like the feed. Videos uploaded after a page was read are newer than its cursor: they "
                + "appear on a fresh first page, never in later pages.";
        });
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401));
    }

    public override async Task HandleAsync(GetFeedRequest r, CancellationToken ct)
    {
        var (at, id) = Cursor.Parameters(r.Cursor);
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<VideoDto, AuthorDto, VideoDto>(new CommandDefinition(
            at is null ? GetFollowingFeedSql.First : GetFollowingFeedSql.Next,
            new { Viewer = User.UserId(), Now = clock.GetUtcNow(), CursorAt = at, CursorId = id, Take = r.Limit + 1 }, cancellationToken: ct),
            static (v, a) => v with { Author = a }, splitOn: "id");
        await Send.OkAsync(Page.Of(rows.AsList(), r.Limit), ct);
    }
}
