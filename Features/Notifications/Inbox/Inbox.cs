using System.Text.Json;
using IgLive.Service.Infrastructure.Api;

namespace IgLive.Service.Features.Notifications.Inbox;

/// <summary>Reads a user's notifications: the list endpoint, unread_count and the live streams share these.</summary>
public static class Inbox
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    /// <summary>One page (newest updated_at first) and the next cursor.</summary>
    public static async Task<Page<NotificationDto>> PageAsync(NpgsqlConnection conn, Guid userId, string? cursor, int limit, DateTimeOffset now, CancellationToken ct)
    {
        var (at, id) = Cursor.Parameters(cursor);
        var rows = (await conn.QueryAsync<NotificationRow>(new CommandDefinition(InboxSql.Page,
            new { Viewer = userId, Now = now, CursorAt = at, CursorId = id, Take = limit + 1 }, cancellationToken: ct))).AsList();
        var items = rows.Take(limit).Select(ToDto).ToList();
        var next = rows.Count > limit ? new Cursor(items[^1].UpdatedAt, items[^1].Id).Encode() : null;
        return new Page<NotificationDto> { Items = items, NextCursor = next };
    }

    /// <summary>The notifications changed after <paramref name="afterSeq"/>, oldest change first (at most <paramref name="take"/>).</summary>
    public static async Task<IReadOnlyList<NotificationDto>> ChangedAfterAsync(NpgsqlConnection conn, Guid userId, long afterSeq, int take,
        DateTimeOffset now, CancellationToken ct)
        => (await conn.QueryAsync<NotificationRow>(new CommandDefinition(InboxSql.ChangedAfter,
            new { Viewer = userId, Now = now, AfterSeq = afterSeq, Take = take }, cancellationToken: ct))).Select(ToDto).ToList();

    /// <summary>The user's newest change cursor (0 when they never had a notification).</summary>
    public static Task<long> LatestSeqAsync(NpgsqlConnection conn, Guid userId, CancellationToken ct)
        => conn.ExecuteScalarAsync<long>(new CommandDefinition(InboxSql.LatestSeq, new { Viewer = userId }, cancellationToken: ct));

    /// <summary>Unread notifications the user can see.</summary>
    public static Task<long> UnreadCountAsync(NpgsqlConnection conn, Guid userId, DateTimeOffset now, CancellationToken ct)
        => conn.ExecuteScalarAsync<long>(new CommandDefinition(InboxSql.UnreadCount, new { Viewer = userId, Now = now }, cancellationToken: ct));

    private static NotificationDto ToDto(NotificationRow r) => new()
    {
        Id = r.Id,
        Kind = r.Kind,
        Actors = r.ActorsJson is null ? [] : JsonSerializer.Deserialize<List<AuthorDto>>(r.ActorsJson, Json) ?? [],
        ActorsCount = r.ActorsCount,
        Video = r.VideoId is { } vid ? new NotificationVideoDto { Id = vid, Title = r.VideoTitle ?? "", ThumbnailUrl = r.VideoThumbnailUrl } : null,
        Comment = r.CommentId is { } cid ? new NotificationCommentDto { Id = cid, Text = r.CommentText ?? "" } : null,
        Message = r.Message,
        Read = r.Read,
        CreatedAt = r.CreatedAt,
        UpdatedAt = r.UpdatedAt,
        Seq = r.Seq,
    };

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions();
        ApiExtensions.ConfigureJson(o);
        return o;
    }

    private sealed record NotificationRow
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public bool Read { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public long Seq { get; init; }
        public string? Message { get; init; }
        public long ActorsCount { get; init; }
        public string? ActorsJson { get; init; }
        public Guid? VideoId { get; init; }
        public string? VideoTitle { get; init; }
        public string? VideoThumbnailUrl { get; init; }
        public Guid? CommentId { get; init; }
        public string? CommentText { get; init; }
    }
}
