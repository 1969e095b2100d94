namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>The columns of a Video (then its Author, split on the second <c>id</c>) every Discovery page selects.</summary>
internal static class DiscoveryVideoSql
{
    private const string VideoColumns = """
        SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
               v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
        """;

    private const string AuthorColumns = """

               v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
        """;

    /// <summary>From <c>v</c> (videos) and <c>p</c> (author); ends where the caller adds its own columns and FROM.</summary>
    public const string Columns = VideoColumns + """

               CASE WHEN @Viewer::uuid IS NULL THEN NULL
                    ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = @Viewer) END AS liked_by_me,
        """ + AuthorColumns;

    /// <summary>
    /// <see cref="Columns"/> for an anonymous caller: liked_by_me is the constant null, so the statement has no likes
    /// subplan at all (the feed's shape; a CASE on @Viewer leaves a hashed alternative over all likes in generic plans).
    /// </summary>
    public const string ColumnsAnonymous = VideoColumns + "\n       NULL::boolean AS liked_by_me," + AuthorColumns;

    /// <summary><see cref="Columns"/> for a signed-in caller: a video_likes_pkey probe per page row.</summary>
    public const string ColumnsForViewer = VideoColumns + """

               EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = @Viewer) AS liked_by_me,
        """ + AuthorColumns;

    /// <summary>
    /// The row limit of the derived table that chooses a page: the largest page (50) + 1, a constant so that the generic
    /// plan Npgsql's auto-prepare ends up with costs what a custom one does and PostgreSQL keeps it (a parameter there is
    /// assumed to be 10 % of the table: the generic plan then looked hundreds of times dearer than a custom one, and
    /// every execution was planned again). The outer <c>LIMIT @Take</c> stops the nested loop after limit + 1 rows.
    /// </summary>
    public const string PageRows = "51";

    /// <summary>The author of <c>v</c>, a primary-key probe per page row (OFFSET 0 keeps it one).</summary>
    public const string Author = "CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p";
}
