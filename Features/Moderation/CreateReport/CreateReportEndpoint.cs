using System.Globalization;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Moderation.CreateReport;

/// <summary>
/// <c>POST /api/reports</c>: a user reports a video, comment or user to the moderators. The report joins the target's
/// open case (or opens one with a snapshot of the target). A reporter's second report of a target is the same report
/// (200); more than <see cref="ReportRateLimitOptions.ReportsPerDay"/> new reports in 24 hours is 429. A report never
/// hides anything by itself.
/// </summary>
public sealed partial class CreateReportEndpoint(NpgsqlDataSource db, TimeProvider clock, IOptions<ReportRateLimitOptions> limits,
    ILogger<CreateReportEndpoint> log) : Endpoint<CreateReportRequest, ReportDto>
{

    public override void Configure()
    {
        Post("/api/reports");
        Summary(s =>
        {
            s.Summary = "Report a video, comment or user to the moderators";
            s.Description = "201 with the new report; 200 with the same report when you already reported this target. " +
                            "400 for your own content, 404 when the target is unknown (or not visible), 429 (with Retry-After) " +
                            "past `RateLimits:ReportsPerDay` (default 20) new reports in 24 hours.";
        });
        Description(b => b.Produces<ReportDto>(201).ProducesProblemDetails(400).ProducesProblemDetails(401)
            .ProducesProblemDetails(403).ProducesProblemDetails(404).ProducesProblemDetails(429));
    }

    public override async Task HandleAsync(CreateReportRequest r, CancellationToken ct)
    {
        if (User.UserId() is not { } reporterId)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(403, "Reports are made by users; this token has no user."));
            return;
        }
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(CreateReportSql.LockReporter, new { ReporterId = reporterId }, tx, cancellationToken: ct));

        var target = await FindTargetAsync(conn, tx, r, reporterId, now, ct);
        if (target is null)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, $"No {r.TargetType} with this id (or it is no longer visible)."));
            return;
        }
        if (target.AuthorId == reporterId)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(400, r.TargetType == "user" ? "You cannot report yourself." : $"You cannot report your own {r.TargetType}."));
            return;
        }

        var key = new { ReporterId = reporterId, r.TargetType, target.TargetId };
        if (await conn.QuerySingleOrDefaultAsync<ReportDto>(new CommandDefinition(CreateReportSql.Existing, key, tx, cancellationToken: ct)) is { } existing)
        {
            await Send.OkAsync(existing, ct);
            return;
        }

        var recent = await conn.QuerySingleAsync<(int Count, DateTime? Oldest)>(new CommandDefinition(CreateReportSql.Recent,
            new { ReporterId = reporterId, Now = now }, tx, cancellationToken: ct));
        var dailyLimit = limits.Value.ReportsPerDay;
        if (dailyLimit > 0 && recent.Count >= dailyLimit)
        {
            var wait = new DateTimeOffset(recent.Oldest!.Value, TimeSpan.Zero).AddDays(1) - now;
            HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Send.ResultAsync(ProblemsExtensions.Problem(429, $"At most {dailyLimit} reports in 24 hours; retry later."));
            return;
        }

        var report = await conn.QuerySingleAsync<ReportDto>(new CommandDefinition(CreateReportSql.Insert, new
        {
            CaseId = Guid.CreateVersion7(now),
            ReportId = Guid.CreateVersion7(now),
            ReporterId = reporterId,
            r.TargetType,
            target.TargetId,
            target.AuthorId,
            target.Username,
            target.DisplayName,
            target.Title,
            target.Text,
            target.VideoId,
            r.Reason,
            Note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(),
            Now = now,
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        Log.Reported(log, report.Id, r.TargetType, target.TargetId, r.Reason);
        await Send.ResponseAsync(report, StatusCodes.Status201Created, ct);
    }

    private static Task<ReportTarget?> FindTargetAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CreateReportRequest r, Guid reporterId,
        DateTimeOffset now, CancellationToken ct)
    {
        var isId = Guid.TryParse(r.TargetId, out var id);
        var sql = r.TargetType switch
        {
            "video" => CreateReportSql.Video,
            "comment" => CreateReportSql.Comment,
            _ => isId ? CreateReportSql.UserById : CreateReportSql.UserByName,
        };
        return conn.QuerySingleOrDefaultAsync<ReportTarget>(new CommandDefinition(sql,
            new { Id = id, Name = r.TargetId, Viewer = reporterId, Now = now }, tx, cancellationToken: ct));
    }

    private sealed record ReportTarget
    {
        public Guid TargetId { get; init; }
        public Guid AuthorId { get; init; }
        public string Username { get; init; } = "";
        public string? DisplayName { get; init; }
        public string? Title { get; init; }
        public string? Text { get; init; }
        public Guid? VideoId { get; init; }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Report {ReportId} of {TargetType} {TargetId} for {Reason}")]
        public static partial void Reported(ILogger logger, Guid reportId, string targetType, Guid targetId, string reason);
    }
}
