namespace IgLive.Service.Features.Profiles;

internal static class ProfileSql
{
    // One profile with its visible videos count; profiles_pkey or profiles_username_key, then videos_user_idx.
    public const string Select = $"""
        SELECT p.id, p.username, p.display_name, p.avatar_url, p.bio, p.created_at,
               (SELECT count(*) FROM videos v WHERE v.user_id = p.id AND {Visibility.VideoLive}) AS videos_count
        FROM profiles p
        """;
    public const string ById = Select + " WHERE p.id = @Id";
    // Not found across a block either way (the caller's block list, once).
    public const string ByUsername = Select + " WHERE lower(p.username) = lower(@Username) AND " + Visibility.Profile;
}
