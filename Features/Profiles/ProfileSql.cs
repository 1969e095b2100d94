namespace IgLive.Service.Features.Profiles;

internal static class ProfileSql
{
    /// <summary>
    /// The columns of a <see cref="ProfileDto"/> for a profile row <c>p</c> and the caller <c>@Viewer</c> (NULL: the
    /// two booleans are NULL); per row: videos_user_feed_idx for the count, user_follows_pkey and user_blocks_pkey.
    /// </summary>
    public const string Columns = $"""
        p.id, p.username, p.display_name, p.avatar_url, p.bio, p.created_at, p.followers_count, p.following_count,
               (SELECT count(*) FROM videos v WHERE v.user_id = p.id AND {Visibility.VideoLive}) AS videos_count,
               CASE WHEN @Viewer::uuid IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM user_follows f
                    WHERE f.follower_id = @Viewer AND f.followee_id = p.id) END AS followed_by_me,
               CASE WHEN @Viewer::uuid IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM user_blocks b
                    WHERE b.blocker_id = @Viewer AND b.blocked_id = p.id) END AS blocked_by_me
        """;

    // One profile; profiles_pkey or profiles_username_key, then the per-row probes of Columns.
    public const string Select = "SELECT " + Columns + " FROM profiles p";
    public const string ById = Select + " WHERE p.id = @Id";
    // Not found across a block either way (the caller's block list, once).
    public const string ByUsername = Select + " WHERE lower(p.username) = lower(@Username) AND " + Visibility.Profile;
}
