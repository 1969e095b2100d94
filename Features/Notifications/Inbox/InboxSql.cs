namespace IgLive.Service.Features.Notifications.Inbox;

/// <summary>
/// The reads of a user's notifications (list, replay, unread count). Visibility is applied here, in SQL: a
/// notification about a video the recipient may no longer see (expired, removed, not ready, a block with its author)
/// is hidden, except moderation outcomes; actors across a block are hidden, and a row left without actors with them.
/// </summary>
internal static class InboxSql
{
    // The video of a notification, as its recipient (@Viewer) may see it (Visibility); moderation outcomes always show.
    private const string VideoVisible = $"""
        (n.kind = 'moderation' OR n.video_id IS NULL OR ({Visibility.VideoToOwner} AND {Visibility.ActiveAuthorProbe}))
        """;

    private const string ActorVisible = """
        NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = n.user_id AND b.blocked_id = a.actor_id)
        AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = a.actor_id AND b.blocked_id = n.user_id)
        """;

    // One row per notification with its visible actors (count + the three newest as JSON), video and comment;
    // notifications_list_idx / notifications_seq_idx, notification_actors_newest_idx.
    private const string Select = """
        SELECT n.id, n.kind, n.read_at IS NOT NULL AS read, n.created_at, n.updated_at, n.seq, n.message,
               ac.actors_count, ac.actors_json,
               v.id AS video_id, v.title AS video_title, v.thumbnail_url AS video_thumbnail_url,
               c.id AS comment_id, c.text AS comment_text
        FROM notifications n
        LEFT JOIN videos v ON v.id = n.video_id
        LEFT JOIN video_comments c ON c.id = n.comment_id
        CROSS JOIN LATERAL (
            SELECT (SELECT count(*) FROM notification_actors a WHERE a.notification_id = n.id AND
        """ + "\n" + ActorVisible + """
                   ) AS actors_count,
                   (SELECT json_agg(json_build_object('id', p.id, 'username', p.username, 'display_name', p.display_name,
                                                      'avatar_url', p.avatar_url) ORDER BY x.acted_at DESC)::text
                    FROM (SELECT a.actor_id, a.acted_at FROM notification_actors a WHERE a.notification_id = n.id AND
        """ + "\n" + ActorVisible + """
                          ORDER BY a.acted_at DESC LIMIT 3) x
                    JOIN profiles p ON p.id = x.actor_id) AS actors_json) ac
        WHERE n.user_id = @Viewer AND (n.kind = 'moderation' OR ac.actors_count > 0) AND
        """ + "\n" + VideoVisible;

    // A page, newest updated_at first; keyset on (updated_at, id); notifications_list_idx.
    public const string Page = Select + """

          AND (@CursorAt::timestamptz IS NULL OR (n.updated_at, n.id) < (@CursorAt, @CursorId))
        ORDER BY n.updated_at DESC, n.id DESC
        LIMIT @Take
        """;

    // What changed after a change cursor, oldest change first (live streams and Last-Event-ID replays);
    // notifications_seq_idx.
    public const string ChangedAfter = Select + """

          AND n.seq > @AfterSeq
        ORDER BY n.seq
        LIMIT @Take
        """;

    // The newest change cursor of a user (where a fresh stream starts); notifications_seq_idx.
    public const string LatestSeq = "SELECT COALESCE(max(seq), 0) FROM notifications WHERE user_id = @Viewer";

    // Unread and visible; notifications_unread_idx.
    public const string UnreadCount = """
        SELECT count(*) FROM notifications n LEFT JOIN videos v ON v.id = n.video_id
        WHERE n.user_id = @Viewer AND n.read_at IS NULL
          AND (n.kind = 'moderation' OR EXISTS (SELECT 1 FROM notification_actors a WHERE a.notification_id = n.id AND
        """ + "\n" + ActorVisible + ")) AND\n" + VideoVisible;
}
