namespace IgLive.Service.Features.Events.StreamEvents;

internal static class StreamEventsSql
{
    // Uses a ticket up: deleted whether or not it is still valid, so it can never be used twice; event_tickets_pkey.
    public const string UseTicket = """
        WITH t AS (DELETE FROM event_tickets WHERE ticket_hash = @Hash RETURNING user_id, expires_at)
        SELECT user_id FROM t WHERE expires_at > @Now
        """;

    // The asked videos the caller may follow (live, ready unless theirs, not removed, author not suspended, no block);
    // videos_pkey, user_blocks_pkey.
    // TODO(#15): compose Features/Common/Visibility once it is on main.
    public const string VisibleVideos = """
        SELECT v.id FROM videos v JOIN profiles p ON p.id = v.user_id
        WHERE v.id = ANY (@Ids) AND v.expires_at > @Now AND v.removed_at IS NULL AND p.suspended_at IS NULL
          AND (v.status = 'ready' OR v.user_id = @UserId)
          AND (@UserId::uuid IS NULL OR (
               NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = @UserId AND b.blocked_id = v.user_id)
               AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = v.user_id AND b.blocked_id = @UserId)))
        """;

    // Everyone the caller blocked or is blocked by: their comments are not streamed; user_blocks_pkey, user_blocks_blocked_idx.
    public const string HiddenAuthors = """
        SELECT blocked_id FROM user_blocks WHERE blocker_id = @UserId
        UNION SELECT blocker_id FROM user_blocks WHERE blocked_id = @UserId
        """;
}
