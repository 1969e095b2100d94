namespace IgLive.Service.Features.Videos.GetFeed;

public sealed class GetFeedEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<GetFeedRequest, Page<VideoDto>>
{
    public override void Configure()
    {
        Get("/api/videos/feed");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Live videos, newest first";
            s.Description = "Keyset-paginated; liked_by_me is set when a valid bearer token is sent, else null.";
        });
        Description(b => b.ProducesProblemDetails(400));
    }

    public override async Task HandleAsync(GetFeedRequest r, CancellationToken ct)
    {
        var viewer = User.UserId();
        var (at, id) = Cursor.Parameters(r.Cursor);
        var sql = (viewer, at) switch
        {
            (null, null) => GetFeedSql.FirstAnonymous,
            (null, _) => GetFeedSql.NextAnonymous,
            (_, null) => GetFeedSql.FirstForViewer,
            _ => GetFeedSql.NextForViewer,
        };

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<VideoDto, AuthorDto, VideoDto>(new CommandDefinition(sql,
            new { Now = clock.GetUtcNow(), Viewer = viewer, CursorAt = at, CursorId = id, Take = r.Limit + 1 }, cancellationToken: ct),
            static (v, a) => v with { Author = a }, splitOn: "id");
        await Send.OkAsync(Page.Of(rows.AsList(), r.Limit), ct);
    }
}
