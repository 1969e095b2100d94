using System.Text.Json;

namespace IgLive.Service.Features.Moderation.Cases;

/// <summary>One reported target and its reports, as the moderation queue shows it.</summary>
public sealed record CaseDto
{
    public required Guid Id { get; init; }
    /// <summary><c>video</c>, <c>comment</c> or <c>user</c>.</summary>
    public required string TargetType { get; init; }
    /// <summary>The video's, comment's or user's id.</summary>
    public required Guid TargetId { get; init; }
    /// <summary>What was reported, as it was when the case opened (kept after the content is removed or edited).</summary>
    public required CaseTargetDto Target { get; init; }
    public required int ReportsCount { get; init; }
    /// <summary>Number of reports per reason, e.g. <c>{"spam": 2, "hate": 1}</c>.</summary>
    public required IReadOnlyDictionary<string, int> Reasons { get; init; }
    public required DateTimeOffset FirstReportedAt { get; init; }
    public required DateTimeOffset LastReportedAt { get; init; }
    /// <summary><c>open</c> or <c>resolved</c>.</summary>
    public required string Status { get; init; }
    /// <summary>How the case was resolved; null while open.</summary>
    public CaseResolutionDto? Resolution { get; init; }
}

/// <summary>Snapshot of a reported target.</summary>
public sealed record CaseTargetDto
{
    /// <summary>The author's user id (for a user target, the user).</summary>
    public required Guid AuthorId { get; init; }
    /// <summary>The author's username (for a user target, the user's).</summary>
    public required string Username { get; init; }
    /// <summary>The user's display name (user targets).</summary>
    public string? DisplayName { get; init; }
    /// <summary>The video's title (video targets).</summary>
    public string? Title { get; init; }
    /// <summary>The comment's text (comment targets).</summary>
    public string? Text { get; init; }
    /// <summary>The video the comment is on, or the video itself.</summary>
    public Guid? VideoId { get; init; }
}

/// <summary>A case's resolution, from its audit log entry.</summary>
public sealed record CaseResolutionDto
{
    /// <summary><c>dismiss</c>, <c>remove</c> or <c>suspend_author</c>.</summary>
    public required string Action { get; init; }
    public string? Note { get; init; }
    /// <summary>Username of the moderator, or <c>service_role</c>.</summary>
    public required string Moderator { get; init; }
    public required DateTimeOffset ResolvedAt { get; init; }
}

/// <summary>A case as its SQL returns it (flat), turned into the contract's shape by <see cref="ToDto"/>.</summary>
internal sealed record CaseRow
{
    public Guid Id { get; init; }
    public string TargetType { get; init; } = "";
    public Guid TargetId { get; init; }
    public Guid AuthorId { get; init; }
    public string TargetUsername { get; init; } = "";
    public string? TargetDisplayName { get; init; }
    public string? TargetTitle { get; init; }
    public string? TargetText { get; init; }
    public Guid? TargetVideoId { get; init; }
    public int ReportsCount { get; init; }
    public string Reasons { get; init; } = "{}";
    public DateTimeOffset FirstReportedAt { get; init; }
    public DateTimeOffset LastReportedAt { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolutionAction { get; init; }
    public string? ResolutionNote { get; init; }
    public string? ResolutionModerator { get; init; }

    public CaseDto ToDto() => new()
    {
        Id = Id,
        TargetType = TargetType,
        TargetId = TargetId,
        Target = new CaseTargetDto
        {
            AuthorId = AuthorId, Username = TargetUsername, DisplayName = TargetDisplayName, Title = TargetTitle,
            Text = TargetText, VideoId = TargetVideoId,
        },
        ReportsCount = ReportsCount,
        Reasons = JsonSerializer.Deserialize<Dictionary<string, int>>(Reasons) ?? [],
        FirstReportedAt = FirstReportedAt,
        LastReportedAt = LastReportedAt,
        Status = Status,
        Resolution = ResolutionAction is null || ResolvedAt is null ? null : new CaseResolutionDto
        {
            Action = ResolutionAction, Note = ResolutionNote, Moderator = ResolutionModerator ?? "", ResolvedAt = ResolvedAt.Value,
        },
    };
}

internal static class CaseSql
{
    // A case's columns with its resolution's audit entry (moderation_actions_pkey); composed by ListCases and ResolveCase.
    public const string Select = """
        SELECT c.id, c.target_type, c.target_id, c.author_id, c.target_username, c.target_display_name, c.target_title,
               c.target_text, c.target_video_id, c.reports_count, c.reasons::text AS reasons, c.first_reported_at,
               c.last_reported_at, c.status, c.resolved_at, a.action AS resolution_action, a.note AS resolution_note,
               a.moderator_name AS resolution_moderator
        FROM moderation_cases c LEFT JOIN moderation_actions a ON a.id = c.resolution_action_id
        """;

    // One case by id (moderation_cases_pkey).
    public const string ById = Select + " WHERE c.id = @Id";
}
