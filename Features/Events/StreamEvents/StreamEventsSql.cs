namespace IgLive.Service.Features.Events.StreamEvents;

internal static class StreamEventsSql
{
    // Uses a ticket up: deleted whether or not it is still valid, so it can never be used twice; event_tickets_pkey.
    public const string UseTicket = """
        WITH t AS (DELETE FROM event_tickets WHERE ticket_hash = @Hash RETURNING user_id, expires_at)
        SELECT user_id FROM t WHERE expires_at > @Now
        """;

    // The asked videos the caller may follow (Visibility; an anonymous caller has no blocks); videos_pkey.
    public const string VisibleVideos = $"""
        SELECT v.id FROM videos v
        WHERE v.id = ANY (@Ids) AND {Visibility.VideoToOwner} AND {Visibility.ActiveAuthorProbe}
        """;

    // Everyone the caller blocked or is blocked by: their comments are not streamed; user_blocks_pkey, user_blocks_blocked_idx.
    public const string HiddenAuthors = """
        SELECT blocked_id FROM user_blocks WHERE blocker_id = @UserId
        UNION SELECT blocker_id FROM user_blocks WHERE blocked_id = @UserId
        """;
}
