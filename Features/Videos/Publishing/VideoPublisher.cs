using System.Diagnostics.Metrics;
using IgLive.Service.Features.Media.Processing;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Videos.Publishing;

/// <summary>
/// Turns a stored file into a live video row (expiring after <c>Cleanup:RetentionDays</c>): the last step of an upload
/// and of a registration. Not cancelled by the client going away: once the file is complete the row is written (or the
/// caller discards the file).
/// </summary>
public sealed class VideoPublisher(NpgsqlDataSource db, TimeProvider clock, MediaJobQueue jobs, IOptions<RetentionOptions> retention)
{
    private static readonly Counter<long> Uploaded = IgLiveTelemetry.Meter.CreateCounter<long>(
        "iglive.videos.uploaded", "{video}", "Videos uploaded or registered");

    /// <summary>
    /// Inserts the row; null when a by-path deletion queued for the file came due first (see <see cref="VideoPublisherSql.Insert"/>).
    /// <paramref name="source"/> tags the upload counter (the provider, or <c>imagekit_direct</c>).
    /// </summary>
    public async Task<VideoDto?> PublishAsync(Guid id, Guid? userId, VideoFields f, StoredVideo s, string source)
    {
        var now = clock.GetUtcNow();
        var expiresAt = now.AddDays(retention.Value.RetentionDays);
        await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
        var author = await conn.QuerySingleOrDefaultAsync<AuthorDto>(new CommandDefinition(VideoPublisherSql.Insert, new
        {
            Id = id, UserId = userId, f.Title, f.Description, f.Tags, s.Provider, s.Key, s.Path, s.ThumbnailKey,
            s.VideoUrl, s.ThumbnailUrl, s.StreamUrl, s.Container.ContentType, s.SizeBytes, s.Info.DurationSeconds,
            s.Info.Width, s.Info.Height, Now = now, ExpiresAt = expiresAt, PendingPaths = s.PendingPaths ?? [], s.PendingNotBefore,
            Process = s.NeedsProcessing,
        }));
        if (author is null) return null;
        if (s.NeedsProcessing) jobs.Nudge(); // an idle worker of this instance starts at once (others poll)
        Uploaded.Add(1, new KeyValuePair<string, object?>("provider", source));
        return new VideoDto
        {
            Id = id, Title = f.Title, Description = f.Description, Tags = f.Tags, VideoUrl = s.VideoUrl, ThumbnailUrl = s.ThumbnailUrl,
            StreamUrl = s.StreamUrl, ContentType = s.Container.ContentType, SizeBytes = s.SizeBytes, DurationSeconds = s.Info.DurationSeconds,
            Width = s.Info.Width, Height = s.Info.Height, ViewsCount = 0, LikesCount = 0, CommentsCount = 0, LikedByMe = false,
            CreatedAt = now, ExpiresAt = expiresAt, Author = author,
            Status = s.NeedsProcessing ? VideoStatuses.Processing : VideoStatuses.Ready,
        };
    }
}
