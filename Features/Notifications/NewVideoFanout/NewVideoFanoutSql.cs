using IgLive.Service.Features.Notifications.Writer;

namespace IgLive.Service.Features.Notifications.NewVideoFanout;

internal static class NewVideoFanoutSql
{
    // Claims the next due announcement (another worker skips it) with what is needed to decide whether it still
    // should go out: the video visible (live, ready, not removed, author not suspended) and queued less than a day
    // ago; due by the database's clock, as the queue's defaults are; new_video_fanout_due_idx, videos_pkey.
    public const string Claim = $"""
        SELECT f.video_id, f.creator_id, f.last_follower_id,
               ({Visibility.VideoLive} AND {Visibility.ActiveAuthor} AND f.enqueued_at > now() - interval '1 day') AS announce
        FROM new_video_fanout f JOIN videos v ON v.id = f.video_id JOIN profiles p ON p.id = v.user_id
        WHERE f.done_at IS NULL AND f.next_attempt_at <= now()
        ORDER BY f.next_attempt_at
        LIMIT 1
        FOR UPDATE OF f SKIP LOCKED
        """;

    // Serialises the batches of one creator's uploads across workers, so one hour's uploads collapse into one row.
    public const string LockCreator = "SELECT pg_advisory_xact_lock(hashtextextended(@CreatorId::text, 16))";

    // One batch of followers (keyset on follower_id): a follower with a new_video row of this creator from the last hour
    // gets it updated (newest video, unread again, to the top); the others a new row; the rules apply per follower.
    // Records the position, or done when the batch was the last; returns the batch size. user_follows_pkey (followee
    // first) or its followee index, notifications_group_idx.
    public const string Batch = """
        WITH followers AS (SELECT f.follower_id FROM user_follows f
                           WHERE f.followee_id = @CreatorId AND (@After::uuid IS NULL OR f.follower_id > @After)
                           ORDER BY f.follower_id LIMIT @Take),
             r AS (SELECT follower_id AS recipient_id, @CreatorId::uuid AS actor_id, 'new_video'::text AS kind FROM followers),
             ok AS (SELECT r.recipient_id FROM r WHERE
        """ + "\n" + NotificationWriterSql.Allowed + """
                   ),
             upd AS (UPDATE notifications n SET video_id = @VideoId, updated_at = @Now, read_at = NULL,
                            seq = nextval('notification_change_seq')
                     WHERE n.group_id = @CreatorId AND n.kind = 'new_video' AND n.user_id IN (SELECT recipient_id FROM ok)
                       AND n.created_at > @Now - interval '1 hour'
                     RETURNING n.user_id),
             ins AS (INSERT INTO notifications (id, user_id, kind, group_id, video_id, created_at, updated_at)
                     SELECT gen_random_uuid(), ok.recipient_id, 'new_video', @CreatorId, @VideoId, @Now, @Now
                     FROM ok WHERE ok.recipient_id NOT IN (SELECT user_id FROM upd)
                     RETURNING id, user_id),
             a AS (INSERT INTO notification_actors (notification_id, actor_id, acted_at) SELECT id, @CreatorId, @Now FROM ins),
             pos AS (UPDATE new_video_fanout
                     SET last_follower_id = COALESCE((SELECT follower_id FROM followers ORDER BY follower_id DESC LIMIT 1), last_follower_id),
                         done_at = CASE WHEN (SELECT count(*) FROM followers) < @Take THEN @Now END,
                         attempts = 0, last_error = NULL
                     WHERE video_id = @VideoId)
        SELECT (SELECT count(*) FROM followers) AS batch,
               (SELECT count(pg_notify('iglive_events', 'n:' || x.user_id::text))
                FROM (SELECT user_id FROM upd UNION SELECT user_id FROM ins) x) AS notified
        """;

    // An announcement that should not go out (video gone, hidden or old): done without notifying anyone.
    public const string Skip = "UPDATE new_video_fanout SET done_at = @Now WHERE video_id = @VideoId";

    // A failed batch is retried later (position kept); new_video_fanout_pkey.
    public const string Fail = """
        UPDATE new_video_fanout SET attempts = attempts + 1, last_error = left(@Error, 500),
               next_attempt_at = now() + least(interval '1 second' * power(2, attempts), interval '10 minutes')
        WHERE video_id = @VideoId
        """;
}
