namespace IgLive.Service.Features.Common;

/// <summary>The answer of a write on a video that found nothing to act on: 403 across a block, else 404.</summary>
internal static class VideoRefusals
{
    public const string NotFoundDetail = "No live video has this id.";

    /// <summary>The 404 of a read that found no visible video.</summary>
    public static IResult NotFound() => ProblemsExtensions.Problem(404, NotFoundDetail);

    /// <summary>Asks (on the refusal path only) whether a block between the caller and the author is the reason.</summary>
    public static async Task<IResult> ForAsync(NpgsqlConnection conn, Guid videoId, Guid? viewer, DateTimeOffset now, CancellationToken ct)
        => viewer is not null && await conn.ExecuteScalarAsync<bool>(new CommandDefinition(Visibility.VideoBlockedForViewer,
            new { VideoId = videoId, Viewer = viewer, Now = now }, cancellationToken: ct))
            ? ProblemsExtensions.Problem(403, Visibility.BlockedDetail, "Blocked")
            : NotFound();
}
