namespace IgLive.Service.Features.Moderation.CreateReport;

internal static class CreateReportSql
{
    // Serialises one reporter's reports (transaction-scoped advisory lock on a hash of the id), so the duplicate check
    // and the daily limit hold under concurrent requests; no index.
    public const string LockReporter = "SELECT pg_advisory_xact_lock(hashtextextended('report:' || @ReporterId::text, 0))";

    // The reportable video: visible to the reporter (Visibility: live, not removed, ready unless their own, no block
    // either way, author not suspended) with its snapshot; videos_pkey, profiles_pkey.
    public const string Video = $"""
        SELECT v.id AS target_id, v.user_id AS author_id, p.username, NULL::text AS display_name, v.title,
               NULL::text AS text, v.id AS video_id
        FROM videos v JOIN profiles p ON p.id = v.user_id
        WHERE v.id = @Id AND {Visibility.VideoToOwner} AND {Visibility.ActiveAuthor}
        """;

    // The reportable comment: on a video visible to the reporter, its author not blocked either way, with its snapshot;
    // video_comments_pkey, videos_pkey, profiles_pkey.
    public const string Comment = $"""
        SELECT c.id AS target_id, c.user_id AS author_id, p.username, NULL::text AS display_name, NULL::text AS title,
               c.text, c.video_id
        FROM video_comments c JOIN videos v ON v.id = c.video_id JOIN profiles p ON p.id = c.user_id
        WHERE c.id = @Id AND {Visibility.VideoToOwner} AND {Visibility.ActiveAuthorProbe} AND {Visibility.Comment}
        """;

    private const string UserSelect = """
        SELECT p.id AS target_id, p.id AS author_id, p.username, p.display_name, NULL::text AS title,
               NULL::text AS text, NULL::uuid AS video_id
        FROM profiles p
        """;

    // The reported user, not blocked either way, by id (profiles_pkey) or by username (profiles_username_key).
    public const string UserById = UserSelect + " WHERE p.id = @Id AND " + Visibility.Profile;
    public const string UserByName = UserSelect + " WHERE lower(p.username) = lower(@Name) AND " + Visibility.Profile;

    // The reporter's earlier report of this target with its case's status (reports_reporter_id_target_type_target_id_key).
    public const string Existing = """
        SELECT r.id, r.target_type, r.target_id, r.reason, r.note, c.status, r.created_at
        FROM reports r JOIN moderation_cases c ON c.id = r.case_id
        WHERE r.reporter_id = @ReporterId AND r.target_type = @TargetType AND r.target_id = @TargetId
        """;

    // How many reports the reporter made in the last 24 h and when the oldest of them was (reports_reporter_recent_idx).
    public const string Recent = """
        SELECT count(*)::int AS count, min(created_at) AS oldest
        FROM reports WHERE reporter_id = @ReporterId AND created_at > @Now - interval '1 day'
        """;

    // Adds the report to the target's open case, opening one (with the snapshot) when there is none, and bumps the
    // case's counters in the same statement; moderation_cases_open_target_key decides "open one or join it" even
    // when two reporters race. Returns the report.
    public const string Insert = """
        WITH c AS (
            INSERT INTO moderation_cases (id, target_type, target_id, author_id, target_username, target_display_name,
                                          target_title, target_text, target_video_id, reports_count, reasons,
                                          first_reported_at, last_reported_at)
            VALUES (@CaseId, @TargetType, @TargetId, @AuthorId, @Username, @DisplayName, @Title, @Text, @VideoId, 1,
                    jsonb_build_object(@Reason::text, 1), @Now, @Now)
            ON CONFLICT (target_type, target_id) WHERE status = 'open' DO UPDATE
                SET reports_count = moderation_cases.reports_count + 1,
                    reasons = moderation_cases.reasons || jsonb_build_object(@Reason::text,
                              COALESCE((moderation_cases.reasons ->> @Reason::text)::int, 0) + 1),
                    last_reported_at = greatest(moderation_cases.last_reported_at, EXCLUDED.last_reported_at)
            RETURNING id, status)
        INSERT INTO reports (id, case_id, reporter_id, target_type, target_id, reason, note, created_at)
        SELECT @ReportId, c.id, @ReporterId, @TargetType, @TargetId, @Reason, @Note, @Now FROM c
        RETURNING id, target_type, target_id, reason, note, 'open' AS status, created_at
        """;
}
