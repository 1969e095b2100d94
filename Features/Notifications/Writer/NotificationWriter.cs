namespace IgLive.Service.Features.Notifications.Writer;

/// <summary>
/// The write API other slices call to notify someone, on the connection and transaction of the action that causes it
/// (so the notification commits or rolls back with the action). It sends no live event: once the transaction has
/// committed, the caller announces <c>LiveEvents.UserNotifications</c> of each recipient through <c>LiveAnnouncer</c>
/// (a notifying commit would take PostgreSQL's cluster-wide NOTIFY lock). Every
/// method applies the rules (<see cref="NotificationWriterSql.Allowed"/>): never for your own action, across a block,
/// from a muted user, or of a kind the recipient switched off. The like and comment statements compose the SQL
/// fragments directly instead, to stay one statement.
/// <para>
/// Follow and unfollow compose <see cref="NotificationWriterSql.Followed"/> / <see cref="NotificationWriterSql.Unfollowed"/>
/// into their pair statement, like the like statement. Moderation (#15): call <see cref="ModerationAsync"/> in the transaction that resolves
/// a case with <c>remove</c> or <c>suspend_author</c>, addressed to the author of the moderated content.
/// </para>
/// </summary>
public static class NotificationWriter
{
    /// <summary>Writes <c>share</c> notifications; returns the recipients that got one (the others' rules refused it).</summary>
    public static async Task<IReadOnlyList<Guid>> ShareAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid sharerId, Guid videoId,
        IReadOnlyCollection<Guid> recipients, DateTimeOffset now, CancellationToken ct)
        => (await conn.QueryAsync<Guid>(new CommandDefinition(NotificationWriterSql.Share,
            new { Viewer = sharerId, VideoId = videoId, Recipients = recipients.ToArray(), Now = now }, tx, cancellationToken: ct))).AsList();

    /// <summary>
    /// Tells <paramref name="recipientId"/> the outcome of a moderation case about their video or comment. The message is
    /// shown as is (at most 1,000 characters), e.g. "Your video was removed: spam". The caller announces the recipient
    /// after its commit.
    /// </summary>
    public static Task ModerationAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid recipientId, Guid? videoId, Guid? commentId,
        string message, DateTimeOffset now, CancellationToken ct)
        => conn.ExecuteAsync(new CommandDefinition(NotificationWriterSql.Moderation,
            new { Id = Guid.CreateVersion7(), RecipientId = recipientId, VideoId = videoId, CommentId = commentId, Message = message, Now = now },
            tx, cancellationToken: ct));
}
