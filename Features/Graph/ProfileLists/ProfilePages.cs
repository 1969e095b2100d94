namespace IgLive.Service.Features.Graph.ProfileLists;

/// <summary>Query of a newest-first list of a user's profiles or videos (followers, following, videos).</summary>
public sealed record ProfileListRequest : PageRequest
{
    /// <summary>Whose list (case-insensitive).</summary>
    public string Username { get; init; } = "";
}

public sealed class ProfileListValidator : Validator<ProfileListRequest>
{
    public ProfileListValidator() => Include(PageRequestValidator.Instance);
}

/// <summary>
/// The lists' shared shape: a statement returns up to limit+1 rows of <see cref="Profiles.ProfileSql.Columns"/> followed by
/// <c>listed_at</c> (when the follow or block was made); the keyset is (listed_at, profile id). Parameters: @Owner
/// (whose list), @Viewer, @Now, @CursorAt/@CursorId, @Take.
/// </summary>
internal static class ProfilePages
{
    private sealed record Listed(DateTimeOffset ListedAt);

    /// <summary>The visible profile named @Username (no block either way with @Viewer); profiles_username_key.</summary>
    public const string VisibleUserId = "SELECT p.id FROM profiles p WHERE lower(p.username) = lower(@Username) AND " + Visibility.Profile;

    public static async Task<Page<ProfileDto>> PageAsync(NpgsqlConnection conn, string first, string next, int limit, string? cursor,
        Guid? viewer, Guid owner, DateTimeOffset now, CancellationToken ct)
    {
        var (at, id) = Cursor.Parameters(cursor);
        var rows = (await conn.QueryAsync<ProfileDto, Listed, (ProfileDto Profile, DateTimeOffset At)>(new CommandDefinition(
            at is null ? first : next,
            new { Owner = owner, Viewer = viewer, Now = now, CursorAt = at, CursorId = id, Take = limit + 1 }, cancellationToken: ct),
            static (p, l) => (p, l.ListedAt), splitOn: "listed_at")).AsList();
        if (rows.Count <= limit) return new Page<ProfileDto> { Items = rows.ConvertAll(x => x.Profile), NextCursor = null };
        var last = rows[limit - 1];
        return new Page<ProfileDto>
        {
            Items = rows.GetRange(0, limit).ConvertAll(x => x.Profile),
            NextCursor = new Cursor(last.At, last.Profile.Id).Encode(),
        };
    }
}
