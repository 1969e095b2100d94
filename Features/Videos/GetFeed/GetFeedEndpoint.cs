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
        await Send.OkAsync(VideoPages.Of(rows.AsList(), r.Limit), ct);
    }
}

/// <summary>Turns limit+1 fetched rows into a page and its next cursor.</summary>
internal static class VideoPages
{
    public static Page<VideoDto> Of(List<VideoDto> rows, int limit)
    {
        if (rows.Count <= limit) return new Page<VideoDto> { Items = rows, NextCursor = null };
        rows.RemoveRange(limit, rows.Count - limit);
        var last = rows[^1];
        return new Page<VideoDto> { Items = rows, NextCursor = new Cursor(last.CreatedAt, last.Id).Encode() };
    }
}
