namespace IgLive.Service.Features.Notifications.NotificationSettings;

/// <summary>Which kinds of notification the caller receives (all on by default; moderation outcomes always).</summary>
public sealed record NotificationSettingsDto
{
    public required bool Like { get; init; }
    public required bool Comment { get; init; }
    public required bool Follow { get; init; }
    public required bool NewVideo { get; init; }
    public required bool Share { get; init; }

    internal static NotificationSettingsDto From(string[] disabled) => new()
    {
        Like = !disabled.Contains("like"),
        Comment = !disabled.Contains("comment"),
        Follow = !disabled.Contains("follow"),
        NewVideo = !disabled.Contains("new_video"),
        Share = !disabled.Contains("share"),
    };
}

/// <summary>A partial update: absent fields keep their value.</summary>
public sealed record UpdateNotificationSettingsRequest
{
    public bool? Like { get; init; }
    public bool? Comment { get; init; }
    public bool? Follow { get; init; }
    public bool? NewVideo { get; init; }
    public bool? Share { get; init; }
}

public sealed class GetNotificationSettingsEndpoint(NpgsqlDataSource db) : EndpointWithoutRequest<NotificationSettingsDto>
{
    public override void Configure()
    {
        Get("/api/me/notification_settings");
        Summary(s => s.Summary = "The caller's notification settings");
        Description(b => b.ProducesProblemDetails(401));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var disabled = await conn.QuerySingleOrDefaultAsync<string[]>(new CommandDefinition(NotificationSettingsSql.Get,
            new { UserId = User.UserId() }, cancellationToken: ct));
        await Send.OkAsync(NotificationSettingsDto.From(disabled ?? []), ct);
    }
}

public sealed class UpdateNotificationSettingsEndpoint(NpgsqlDataSource db, TimeProvider clock)
    : Endpoint<UpdateNotificationSettingsRequest, NotificationSettingsDto>
{
    public override void Configure()
    {
        Patch("/api/me/notification_settings");
        Summary(s => s.Summary = "Switch kinds of notification on or off (partial update)");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401));
    }

    public override async Task HandleAsync(UpdateNotificationSettingsRequest r, CancellationToken ct)
    {
        var on = new List<string>();
        var off = new List<string>();
        void Put(bool? value, string kind) { if (value is { } v) (v ? on : off).Add(kind); }
        Put(r.Like, "like"); Put(r.Comment, "comment"); Put(r.Follow, "follow"); Put(r.NewVideo, "new_video"); Put(r.Share, "share");

        await using var conn = await db.OpenConnectionAsync(ct);
        var disabled = await conn.QuerySingleAsync<string[]>(new CommandDefinition(NotificationSettingsSql.Update,
            new { UserId = User.UserId(), On = on.ToArray(), Off = off.ToArray(), Now = clock.GetUtcNow() }, cancellationToken: ct));
        await Send.OkAsync(NotificationSettingsDto.From(disabled), ct);
    }
}

internal static class NotificationSettingsSql
{
    // The kinds the user switched off (no row: none); notification_settings_pkey.
    public const string Get = "SELECT disabled FROM notification_settings WHERE user_id = @UserId";

    // Applies a partial update atomically (concurrent PATCHes of different kinds both stick); returns the disabled kinds.
    public const string Update = """
        INSERT INTO notification_settings AS s (user_id, disabled, updated_at)
        VALUES (@UserId, ARRAY(SELECT DISTINCT unnest(@Off::text[]) ORDER BY 1), @Now)
        ON CONFLICT (user_id) DO UPDATE SET
            disabled = ARRAY(SELECT DISTINCT k FROM unnest(s.disabled || @Off::text[]) k WHERE NOT k = ANY (@On::text[]) ORDER BY 1),
            updated_at = EXCLUDED.updated_at
        RETURNING disabled
        """;
}
