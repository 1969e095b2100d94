namespace IgLive.Service.Features.Events.Fanout;

internal static class EventHubSql
{
    // The counters and status of videos, their owners, and whether the public may see it (live, ready, not removed,
    // author not suspended); videos_pkey, profiles_pkey.
    public const string Video = $"""
        SELECT v.id, v.user_id, v.likes_count, v.comments_count, v.views_count, v.status,
               ({Visibility.VideoLive} AND {Visibility.ActiveAuthor}) AS public
        FROM videos v JOIN profiles p ON p.id = v.user_id
        WHERE v.id = ANY (@Ids)
        """;

    // A comment with its author, as the comment list shows it; video_comments_pkey, profiles_pkey.
    public const string Comment = """
        SELECT c.id, c.video_id, c.text, c.created_at, p.id, p.username, p.display_name, p.avatar_url
        FROM video_comments c JOIN profiles p ON p.id = c.user_id
        WHERE c.id = @Id
        """;
}
