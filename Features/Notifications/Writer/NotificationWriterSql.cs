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

    /// <summary>
    /// CTE a, after a CTE <c>n</c> (id) that wrote collapsible notifications: @Viewer joins each of them as an actor, or
    /// is moved to now when already one (notification_actors_pkey). Parameters: @Viewer, @Now.
    /// </summary>
    public const string ActorJoins = """
             a AS (INSERT INTO notification_actors (notification_id, actor_id, acted_at) SELECT id, @Viewer, @Now FROM n
                   ON CONFLICT (notification_id, actor_id) DO UPDATE SET acted_at = EXCLUDED.acted_at)
        """;

    /// <summary>
    /// CTEs nd, nu, after a CTE <c>na</c> (notification_id) that removed @Viewer from notifications' actors: a row left
    /// without actors is deleted, the others get a new change cursor (notifications_pkey, notification_actors_pkey).
    /// </summary>
    public const string ActorLeaves = """
             nd AS (DELETE FROM notifications x WHERE x.id IN (SELECT notification_id FROM na)
                    AND NOT EXISTS (SELECT 1 FROM notification_actors o WHERE o.notification_id = x.id AND o.actor_id <> @Viewer)),
             nu AS (UPDATE notifications x SET seq = nextval('notification_change_seq') WHERE x.id IN (SELECT notification_id FROM na)
                    AND EXISTS (SELECT 1 FROM notification_actors o WHERE o.notification_id = x.id AND o.actor_id <> @Viewer))
        """;

    /// <summary>
    /// CTEs n, a for the follow statement: when CTE <c>ins</c> (followee_id) inserted a follow, the followee's unread
    /// follow row gains @Viewer (collapsed, moved to the top), unless the rules refuse it. Parameters: @Viewer, @Now.
    /// The statement returns the followee when <c>n</c> returned a row, for the endpoint to announce after the commit.
    /// </summary>
    public const string Followed = """
             n AS (INSERT INTO notifications (id, user_id, kind, group_id, created_at, updated_at)
                   SELECT gen_random_uuid(), r.recipient_id, r.kind, r.recipient_id, @Now, @Now
                   FROM (SELECT ins.followee_id AS recipient_id, @Viewer::uuid AS actor_id, 'follow'::text AS kind FROM ins) r
                   WHERE
        """ + "\n" + Allowed + "\n" + Collapse + """

                   RETURNING id, user_id),
        """ + "\n" + ActorJoins;

    /// <summary>
    /// CTEs na, nd, nu for the unfollow statement: when CTE <c>del</c> (followee_id) removed a follow, @Viewer leaves
    /// the followee's UNREAD follow row (a read one is history), and the row goes when no follower is left
    /// (notifications_unread_group_key, notification_actors_pkey). The statement returns the followee when <c>na</c> has a row.
    /// </summary>
    public const string Unfollowed = """
             na AS (DELETE FROM notification_actors a USING notifications nn, del
                    WHERE nn.user_id = del.followee_id AND nn.kind = 'follow' AND nn.group_id = del.followee_id AND nn.read_at IS NULL
                      AND a.notification_id = nn.id AND a.actor_id = @Viewer
                    RETURNING a.notification_id, nn.user_id),
        """ + "\n" + ActorLeaves;

    // Share: one unread row per (recipient, video) collapses the people who shared it; recipients the rules refuse
    // (muted sharer, kind off) are left out silently; returns the recipients that got one (announced by the caller after
    // its commit). Parameters: @Viewer (the sharer), @VideoId, @Recipients (uuid[]), @Now.
    public const string Share = """
        WITH n AS (INSERT INTO notifications (id, user_id, kind, group_id, video_id, created_at, updated_at)
                   SELECT gen_random_uuid(), r.recipient_id, r.kind, @VideoId, @VideoId, @Now, @Now
                   FROM (SELECT unnest(@Recipients::uuid[]) AS recipient_id, @Viewer::uuid AS actor_id, 'share' AS kind) r
                   WHERE
        """ + "\n" + Allowed + "\n" + Collapse + """

                   RETURNING id, user_id),
        """ + "\n" + ActorJoins + """

        SELECT user_id FROM n
        """;

    // Moderation outcome to the author of the moderated content: never collapsed, cannot be switched off.
    // Parameters: @Id, @RecipientId, @VideoId, @CommentId, @Message, @Now.
    public const string Moderation = """
        INSERT INTO notifications (id, user_id, kind, video_id, comment_id, message, created_at, updated_at)
        VALUES (@Id, @RecipientId, 'moderation', @VideoId, @CommentId, @Message, @Now, @Now)
        """;
}
