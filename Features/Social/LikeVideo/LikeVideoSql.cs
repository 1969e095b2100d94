namespace IgLive.Service.Features.Social.LikeVideo;

/// <summary>
/// Every like operation is sent as one batch (one round trip, one implicit transaction): <see cref="LockVideo"/>
/// then the operation. Under READ COMMITTED a statement's snapshot is taken when it starts, so the row lock must be
/// taken by an EARLIER statement: the operation then sees every like committed by whoever held the lock before,
/// and concurrent toggles by the same user alternate instead of both reading the old state. Counters move by the
/// rows actually inserted/deleted, in the same statement, so likes_count always equals the rows in video_likes.
/// Parameters: @VideoId, @Viewer (the caller), @Now. The operation acts only on a video visible to the caller
/// (<see cref="Visibility"/>): nothing across a block, nothing on a removed or suspended author's video.
/// </summary>
internal static class LikeVideoSql
{
    // Locks the live video's row (no rows when unknown or expired); videos_pkey.
    public const string LockVideo = "SELECT 1 FROM videos WHERE id = @VideoId AND expires_at > @Now FOR NO KEY UPDATE";

    private const string Visible = $"v AS (SELECT v.id FROM videos v WHERE v.id = @VideoId AND {Visibility.Video} AND {Visibility.ActiveAuthorProbe})";

    // Likes (no-op when already liked); returns (liked, likes_count), no row for a video not visible to the caller;
    // video_likes_pkey, videos_pkey.
    public const string Like = $"""
        WITH {Visible},
             ins AS (INSERT INTO video_likes (video_id, user_id, created_at) SELECT id, @Viewer, @Now FROM v
                     ON CONFLICT (video_id, user_id) DO NOTHING RETURNING 1)
        UPDATE videos SET likes_count = likes_count + (SELECT count(*) FROM ins)
        WHERE id = (SELECT id FROM v)
        RETURNING true AS liked, likes_count
        """;

    // Unlikes (no-op when not liked); returns (liked, likes_count); video_likes_pkey, videos_pkey.
    public const string Unlike = $"""
        WITH {Visible},
             del AS (DELETE FROM video_likes WHERE video_id = (SELECT id FROM v) AND user_id = @Viewer RETURNING 1)
        UPDATE videos SET likes_count = likes_count - (SELECT count(*) FROM del)
        WHERE id = (SELECT id FROM v)
        RETURNING false AS liked, likes_count
        """;

    // Deletes the like if there is one, else inserts it; returns (liked, likes_count); video_likes_pkey, videos_pkey.
    public const string Toggle = $"""
        WITH {Visible},
             del AS (DELETE FROM video_likes WHERE video_id = (SELECT id FROM v) AND user_id = @Viewer RETURNING 1),
             ins AS (INSERT INTO video_likes (video_id, user_id, created_at)
                     SELECT id, @Viewer, @Now FROM v WHERE NOT EXISTS (SELECT 1 FROM del)
                     ON CONFLICT (video_id, user_id) DO NOTHING RETURNING 1)
        UPDATE videos SET likes_count = likes_count + (SELECT count(*) FROM ins) - (SELECT count(*) FROM del)
        WHERE id = (SELECT id FROM v)
        RETURNING NOT EXISTS (SELECT 1 FROM del) AS liked, likes_count
        """;
}
