namespace IgLive.Service.Features.Notifications.Writer;

/// <summary>
/// The rules every notification write obeys, as fragments for the writers' const SQL (the like and comment statements
/// compose them, so their notification is written by the same statement as the like or comment). A fragment reads a
/// row source aliased <c>r</c> with columns <c>recipient_id</c>, <c>actor_id</c> and <c>kind</c>.
/// </summary>
public static class NotificationWriterSql
{
    /// <summary>
    /// WHERE condition: not your own action, no block either way, the recipient has not muted the actor, the kind is
    /// not switched off; user_blocks_pkey / user_blocks_blocked_idx, user_mutes_pkey, notification_settings_pkey.
    /// </summary>
    public const string Allowed = """
        r.recipient_id <> r.actor_id
        AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = r.recipient_id AND b.blocked_id = r.actor_id)
        AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = r.actor_id AND b.blocked_id = r.recipient_id)
        AND NOT EXISTS (SELECT 1 FROM user_mutes m WHERE m.muter_id = r.recipient_id AND m.muted_id = r.actor_id)
        AND NOT EXISTS (SELECT 1 FROM notification_settings s WHERE s.user_id = r.recipient_id AND r.kind = ANY (s.disabled))
        """;

    /// <summary>
    /// ON CONFLICT clause of an INSERT INTO notifications of a collapsible kind (like, follow, share): joins the
    /// group's unread row and moves it to the top (notifications_unread_group_key).
    /// </summary>
    public const string Collapse = """
        ON CONFLICT (user_id, kind, group_id) WHERE read_at IS NULL AND kind IN ('like', 'follow', 'share')
        DO UPDATE SET updated_at = EXCLUDED.updated_at, seq = nextval('notification_change_seq')
        """;

    // Follow: one unread row per followee collapses the new followers; returns the recipient when one was written.
    // Parameters: @FollowerId, @FolloweeId, @Now.
    public const string Follow = """
        WITH n AS (INSERT INTO notifications (id, user_id, kind, group_id, created_at, updated_at)
                   SELECT gen_random_uuid(), r.recipient_id, r.kind, r.recipient_id, @Now, @Now
                   FROM (SELECT @FolloweeId::uuid AS recipient_id, @FollowerId::uuid AS actor_id, 'follow' AS kind) r
                   WHERE
        """ + "\n" + Allowed + "\n" + Collapse + """

                   RETURNING id, user_id),
             a AS (INSERT INTO notification_actors (notification_id, actor_id, acted_at) SELECT id, @FollowerId, @Now FROM n
                   ON CONFLICT (notification_id, actor_id) DO UPDATE SET acted_at = EXCLUDED.acted_at)
        SELECT user_id, pg_notify('iglive_events', 'n:' || user_id::text) FROM n
        """;

    // Unfollow: removes the follower from the followee's UNREAD follow row (a read one is history), and the row when
    // no follower is left; notifications_unread_group_key, notification_actors_pkey.
    public const string Unfollow = """
        WITH na AS (DELETE FROM notification_actors a USING notifications n
                    WHERE n.user_id = @FolloweeId AND n.kind = 'follow' AND n.group_id = @FolloweeId AND n.read_at IS NULL
                      AND a.notification_id = n.id AND a.actor_id = @FollowerId
                    RETURNING a.notification_id),
             nd AS (DELETE FROM notifications n WHERE n.id IN (SELECT notification_id FROM na)
                    AND NOT EXISTS (SELECT 1 FROM notification_actors o WHERE o.notification_id = n.id AND o.actor_id <> @FollowerId)),
             nu AS (UPDATE notifications n SET seq = nextval('notification_change_seq') WHERE n.id IN (SELECT notification_id FROM na)
                    AND EXISTS (SELECT 1 FROM notification_actors o WHERE o.notification_id = n.id AND o.actor_id <> @FollowerId))
        SELECT pg_notify('iglive_events', 'n:' || @FolloweeId::text) FROM na
        """;

    // Share: one unread row per (recipient, video) collapses the people who shared it; recipients the rules refuse
    // (muted sharer, kind off) are left out silently. Parameters: @SharerId, @VideoId, @Recipients (uuid[]), @Now.
    public const string Share = """
        WITH n AS (INSERT INTO notifications (id, user_id, kind, group_id, video_id, created_at, updated_at)
                   SELECT gen_random_uuid(), r.recipient_id, r.kind, @VideoId, @VideoId, @Now, @Now
                   FROM (SELECT unnest(@Recipients::uuid[]) AS recipient_id, @SharerId::uuid AS actor_id, 'share' AS kind) r
                   WHERE
        """ + "\n" + Allowed + "\n" + Collapse + """

                   RETURNING id, user_id),
             a AS (INSERT INTO notification_actors (notification_id, actor_id, acted_at) SELECT id, @SharerId, @Now FROM n
                   ON CONFLICT (notification_id, actor_id) DO UPDATE SET acted_at = EXCLUDED.acted_at)
        SELECT user_id, pg_notify('iglive_events', 'n:' || user_id::text) FROM n
        """;

    // Moderation outcome to the author of the moderated content: never collapsed, cannot be switched off.
    // Parameters: @Id, @RecipientId, @VideoId, @CommentId, @Message, @Now.
    public const string Moderation = """
        WITH n AS (INSERT INTO notifications (id, user_id, kind, video_id, comment_id, message, created_at, updated_at)
                   VALUES (@Id, @RecipientId, 'moderation', @VideoId, @CommentId, @Message, @Now, @Now) RETURNING user_id)
        SELECT pg_notify('iglive_events', 'n:' || user_id::text) FROM n
        """;
}
