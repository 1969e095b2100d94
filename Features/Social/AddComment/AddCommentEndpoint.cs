namespace IgLive.Service.Features.Social.AddComment;

public sealed class AddCommentEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<AddCommentRequest, CommentDto>
{
    public override void Configure()
    {
        Verbs(Http.POST);
        // The singular route is the Node prototype's; kept as an alias while its clients migrate.
        Routes("/api/videos/{id}/comments", "/api/videos/{id}/comment");
        Summary(s => s.Summary = "Comment on a live video");
        Description(b => b.Produces<CommentDto>(201).ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(AddCommentRequest r, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<CommentDto, AuthorDto, CommentDto>(new CommandDefinition(AddCommentSql.Insert,
            new { Id = Guid.CreateVersion7(), r.VideoId, UserId = User.UserId(), Text = r.Text!.Trim(), Now = clock.GetUtcNow() },
            cancellationToken: ct), static (c, a) => c with { Author = a }, splitOn: "id");
        if (rows.FirstOrDefault() is not { } comment)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "No live video has this id."));
            return;
        }
        HttpContext.Response.Headers.Location = $"/api/videos/{r.VideoId}/comments/{comment.Id}";
        await Send.ResponseAsync(comment, StatusCodes.Status201Created, ct);
    }
}

internal static class AddCommentSql
{
    // Inserts only when the video exists and is live, bumping comments_count in the same statement; returns the
    // comment with its author; videos_pkey, profiles_pkey.
    public const string Insert = """
        WITH v AS (UPDATE videos SET comments_count = comments_count + 1
                   WHERE id = @VideoId AND expires_at > @Now RETURNING id),
             c AS (INSERT INTO video_comments (id, video_id, user_id, text, created_at)
                   SELECT @Id, id, @UserId, @Text, @Now FROM v
                   RETURNING id, video_id, user_id, text, created_at)
        SELECT c.id, c.video_id, c.text, c.created_at, p.id, p.username, p.display_name, p.avatar_url
        FROM c JOIN profiles p ON p.id = c.user_id
        """;
}
