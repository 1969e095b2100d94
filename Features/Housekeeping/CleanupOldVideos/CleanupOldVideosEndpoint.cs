namespace IgLive.Service.Features.Housekeeping.CleanupOldVideos;

/// <summary>Counts of a cleanup run started by an operator.</summary>
public sealed record CleanupOldVideosResponse
{
    /// <summary>Videos deleted because they had expired.</summary>
    public required int Expired { get; init; }
    /// <summary>Stored files (videos and thumbnails) whose deletion the store confirmed.</summary>
    public required int FilesDeleted { get; init; }
    /// <summary>File deletions that failed; they stay queued and are retried with back-off.</summary>
    public required int Failures { get; init; }
    /// <summary>Files still queued for deletion after the run (failed ones and ones not yet due).</summary>
    public required long QueueDepth { get; init; }
}

/// <summary>
/// <c>POST /api/admin/cleanup</c>: runs the cleanup now, synchronously, for Supabase's service role. Under the same
/// cluster-wide lock as the scheduled job: when a run is already in progress anywhere, answers 409 rather than
/// queueing a second one (that run is doing the work; retry later to see fresh counts).
/// </summary>
public sealed class CleanupOldVideosEndpoint(CleanupOldVideosRunner runner) : EndpointWithoutRequest<CleanupOldVideosResponse>
{
    public const string ServiceRole = "service_role";

    public override void Configure()
    {
        Post("/api/admin/cleanup");
        Summary(s =>
        {
            s.Summary = "Run the cleanup now (service role only)";
            s.Description = "Expires videos past expires_at and drains the file deletion queue; answers the run's counts. " +
                            "403 unless the token's role is service_role; 409 while another cleanup run is in progress.";
        });
        Description(b => b.ProducesProblemDetails(401).ProducesProblemDetails(403).ProducesProblemDetails(409));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (User.FindFirst("role")?.Value != ServiceRole)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(403, "Only the service role may run the cleanup."));
            return;
        }
        if (await runner.RunAsync(ct) is not { } result)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(409, "A cleanup run is already in progress; retry later."));
            return;
        }
        await Send.OkAsync(new CleanupOldVideosResponse
        {
            Expired = result.Expired,
            FilesDeleted = result.FilesDeleted,
            Failures = result.Failures,
            QueueDepth = result.QueueDepth,
        }, ct);
    }
}
