namespace IgLive.Service.Features.Media.Processing;

/// <summary>
/// Told after a video's status changed (processing → ready or failed), once the change is committed. The seam where
/// live updates (#16) announce a <c>video</c> event to the owner; until then the default only logs at Debug.
/// </summary>
public interface IVideoStatusNotifier
{
    Task VideoStatusChangedAsync(Guid videoId, Guid ownerId, string status, CancellationToken ct);
}

internal sealed partial class LoggingVideoStatusNotifier(ILogger<LoggingVideoStatusNotifier> log) : IVideoStatusNotifier
{
    // TODO(#16): publish a `video` event {id, status} to the owner's streams.
    public Task VideoStatusChangedAsync(Guid videoId, Guid ownerId, string status, CancellationToken ct)
    {
        Log.Changed(log, videoId, ownerId, status);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "Video {VideoId} of {UserId} is now {Status}")]
        public static partial void Changed(ILogger logger, Guid videoId, Guid userId, string status);
    }
}
