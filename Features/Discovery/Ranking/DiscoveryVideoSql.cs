namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>The columns of a Video (then its Author, split on the second <c>id</c>) every Discovery page selects.</summary>
internal static class DiscoveryVideoSql
{
    /// <summary>From <c>v</c> (videos) and <c>p</c> (author); ends where the caller adds its own columns and FROM.</summary>
    public const string Columns = """
        SELECT v.id, v.title, v.description, v.tags, v.video_url, v.thumbnail_url, v.stream_url, v.content_type,
               v.size_bytes, v.duration_seconds, v.width, v.height, v.views_count, v.likes_count, v.comments_count,
               CASE WHEN @Viewer::uuid IS NULL THEN NULL
                    ELSE EXISTS (SELECT 1 FROM video_likes l WHERE l.video_id = v.id AND l.user_id = @Viewer) END AS liked_by_me,
               v.created_at, v.expires_at, p.id, p.username, p.display_name, p.avatar_url
        """;

    /// <summary>The author of <c>v</c>, a primary-key probe per page row (OFFSET 0 keeps it one).</summary>
    public const string Author = "CROSS JOIN LATERAL (SELECT id, username, display_name, avatar_url FROM profiles WHERE id = v.user_id OFFSET 0) p";
}
