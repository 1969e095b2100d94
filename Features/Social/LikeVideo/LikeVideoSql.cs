using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Features.Notifications.Writer;

namespace IgLive.Service.Features.Social.LikeVideo;

/// <summary>
/// Every like operation is sent as one batch (one round trip, one implicit transaction): <see cref="LockVideo"/>
/// then the operation. Under READ COMMITTED a statement's snapshot is taken when it starts, so the row lock must be
/// taken by an EARLIER statement: the operation then sees every like committed by whoever held the lock before,
/// and concurrent toggles by the same user alternate instead of both reading the old state. Counters move by the
/// rows actually inserted/deleted, in the same statement, so likes_count always equals the rows in video_likes.
/// The same statement writes or undoes the owner's like notification; it does not NOTIFY (a notifying commit takes
/// PostgreSQL's cluster-wide NOTIFY lock across its WAL flush): it returns (liked, likes_count, changed, notified —
/// the owner's id when their notification rows changed) and the endpoint hands those to <see cref="LiveAnnouncer"/>
/// after the commit. Parameters: @VideoId, @Viewer (the caller), @Now. The operation acts only on a video visible to the
/// caller (<see cref="Visibility"/>): nothing across a block, nothing on a removed or suspended author's video.
/// </summary>
internal static class LikeVideoSql
{
    // Locks the live video's row (no rows when unknown or expired); videos_pkey.
    public const string LockVideo = "SELECT 1 FROM videos WHERE id = @VideoId AND expires_at > @Now FOR NO KEY UPDATE";

    private const string Visible = $"v AS (SELECT v.id, v.user_id FROM videos v WHERE v.id = @VideoId AND {Visibility.Video} AND {Visibility.ActiveAuthorProbe})";

    // Likes (no-op when already liked); returns (liked, likes_count, changed, notified), no row for a video not visible to the caller;
    // video_likes_pkey, videos_pkey, notifications_unread_group_key.
    public const string Like = $"""
        WITH {Visible},
             ins AS (INSERT INTO video_likes (video_id, user_id, created_at) SELECT id, @Viewer, @Now FROM v
                     ON CONFLICT (video_id, user_id) DO NOTHING RETURNING 1),
        {NotifyOwner}
        UPDATE videos SET likes_count = likes_count + (SELECT count(*) FROM ins)
        WHERE id = (SELECT id FROM v)
        RETURNING true AS liked, likes_count, EXISTS (SELECT 1 FROM ins) AS changed, (SELECT user_id FROM n) AS notified
        """;

    // Unlikes (no-op when not liked); returns (liked, likes_count, changed, notified); video_likes_pkey, videos_pkey, notifications_group_idx.
    public const string Unlike = $"""
        WITH {Visible},
             del AS (DELETE FROM video_likes WHERE video_id = (SELECT id FROM v) AND user_id = @Viewer RETURNING 1),
        {UnnotifyOwner}
        UPDATE videos SET likes_count = likes_count - (SELECT count(*) FROM del)
        WHERE id = (SELECT id FROM v)
        RETURNING false AS liked, likes_count, EXISTS (SELECT 1 FROM del) AS changed,
                  (SELECT user_id FROM v WHERE EXISTS (SELECT 1 FROM na)) AS notified
        """;

    // Deletes the like if there is one, else inserts it; returns (liked, likes_count, changed, notified); video_likes_pkey, videos_pkey.
    public const string Toggle = $"""
        WITH {Visible},
             del AS (DELETE FROM video_likes WHERE video_id = (SELECT id FROM v) AND user_id = @Viewer RETURNING 1),
             ins AS (INSERT INTO video_likes (video_id, user_id, created_at)
                     SELECT id, @Viewer, @Now FROM v WHERE NOT EXISTS (SELECT 1 FROM del)
                     ON CONFLICT (video_id, user_id) DO NOTHING RETURNING 1),
        {NotifyOwner},
        {UnnotifyOwner}
        UPDATE videos SET likes_count = likes_count + (SELECT count(*) FROM ins) - (SELECT count(*) FROM del)
        WHERE id = (SELECT id FROM v)
        RETURNING NOT EXISTS (SELECT 1 FROM del) AS liked, likes_count, true AS changed,
                  (SELECT user_id FROM v WHERE EXISTS (SELECT 1 FROM n) OR EXISTS (SELECT 1 FROM na)) AS notified
        """;

    // CTEs n, a: when `ins` inserted a like, the owner's unread like row of the video gains the liker (collapsed,
    // moved to the top), unless the notification rules refuse it. Reads CTEs v (id, user_id) and ins.
    private const string NotifyOwner = $"""
             n AS (INSERT INTO notifications (id, user_id, kind, group_id, video_id, created_at, updated_at)
                   SELECT gen_random_uuid(), r.recipient_id, r.kind, v.id, v.id, @Now, @Now
                   FROM v CROSS JOIN LATERAL (SELECT v.user_id AS recipient_id, @Viewer::uuid AS actor_id, 'like'::text AS kind) r
                   WHERE EXISTS (SELECT 1 FROM ins) AND
        {NotificationWriterSql.Allowed}
        {NotificationWriterSql.Collapse}
                   RETURNING id, user_id),
        {NotificationWriterSql.ActorJoins}
        """;

    // CTEs na, nd, nu: when `del` removed a like, the liker leaves the owner's like rows of the video (read or not);
    // a row left without actors is deleted, the others get a new change cursor. Reads CTEs v and del.
    private const string UnnotifyOwner = $"""
             na AS (DELETE FROM notification_actors a USING notifications nn
                    WHERE EXISTS (SELECT 1 FROM del) AND nn.group_id = @VideoId AND nn.user_id = (SELECT user_id FROM v)
                      AND nn.kind = 'like' AND a.notification_id = nn.id AND a.actor_id = @Viewer
                    RETURNING a.notification_id),
        {NotificationWriterSql.ActorLeaves}
        """;
}
