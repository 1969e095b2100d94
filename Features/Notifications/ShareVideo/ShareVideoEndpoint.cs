using IgLive.Service.Features.Events.Fanout;
using IgLive.Service.Features.Notifications.Writer;

namespace IgLive.Service.Features.Notifications.ShareVideo;

public sealed class ShareVideoEndpoint(NpgsqlDataSource db, TimeProvider clock, LiveAnnouncer announcer) : Endpoint<ShareVideoRequest, ShareVideoResponse>
{
    public override void Configure()
    {
        Post("/api/videos/{id}/shares");
        Summary(s =>
        {
            s.Summary = "Share a visible video with other users";
            s.Description = "Each recipient gets a share notification; unknown, blocked or self recipients are skipped.";
        });
        Description(b => b.Produces<ShareVideoResponse>(201).ProducesProblemDetails(400).ProducesProblemDetails(401)
            .ProducesProblemDetails(403).ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(ShareVideoRequest r, CancellationToken ct)
    {
        var sharer = User.RequiredUserId();
        var now = clock.GetUtcNow();
        var asked = r.Usernames!.Select(u => u.Trim()).ToArray();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var state = await conn.QuerySingleAsync<(bool Suspended, bool Visible)>(new CommandDefinition(ShareVideoSql.State,
            new { Viewer = sharer, r.VideoId, Now = now }, tx, cancellationToken: ct));
        if (state.Suspended)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(403, "Your account is suspended."));
            return;
        }
        if (!state.Visible)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "No visible video has this id."));
            return;
        }

        var recipients = (await conn.QueryAsync<(Guid Id, string Username)>(new CommandDefinition(ShareVideoSql.Recipients,
            new { SharerId = sharer, r.VideoId, Usernames = asked }, tx, cancellationToken: ct))).AsList();
        var notified = await NotificationWriter.ShareAsync(conn, tx, sharer, r.VideoId, recipients.Select(x => x.Id).ToList(), now, ct);
        await tx.CommitAsync(ct);
        foreach (var recipient in notified) announcer.Announce(LiveEvents.UserNotifications(recipient));

        var found = recipients.Select(x => x.Username).ToHashSet(StringComparer.OrdinalIgnoreCase);
        await Send.ResponseAsync(new ShareVideoResponse
        {
            SharedWith = recipients.Select(x => x.Username).ToList(),
            Skipped = asked.Where(u => !found.Contains(u)).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        }, StatusCodes.Status201Created, ct);
    }
}

internal static class ShareVideoSql
{
    // Whether the sharer is suspended, and whether the video is visible to them (Visibility: live, ready unless theirs,
    // not removed, author not suspended, no block either way); videos_pkey, profiles_pkey, the sharer's block list.
    public const string State = $"""
        SELECT EXISTS (SELECT 1 FROM profiles WHERE id = @Viewer AND suspended_at IS NOT NULL) AS suspended,
               EXISTS (SELECT 1 FROM videos v WHERE v.id = @VideoId AND {Visibility.VideoToOwner} AND {Visibility.ActiveAuthorProbe}) AS visible
        """;

    // The named users who may receive the share: known, not the sharer, no block with the sharer nor with the video's
    // author (they could not see it); profiles_username_key, user_blocks_pkey.
    public const string Recipients = """
        SELECT DISTINCT p.id, p.username
        FROM profiles p, videos v
        WHERE lower(p.username) = ANY (SELECT lower(u) FROM unnest(@Usernames::text[]) u)
          AND v.id = @VideoId AND p.id <> @SharerId
          AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = p.id AND b.blocked_id IN (@SharerId, v.user_id))
          AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocked_id = p.id AND b.blocker_id IN (@SharerId, v.user_id))
        """;
}
