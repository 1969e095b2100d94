namespace IgLive.Service.Features.Media.Processing;

/// <summary>
/// Told after a video's status changed (processing → ready or failed), once the change is committed. The Events area
/// replaces the logging default with <c>LiveVideoStatusNotifier</c>, which announces a <c>video</c> event to the owner.
/// </summary>
public interface IVideoStatusNotifier
{
    Task VideoStatusChangedAsync(Guid videoId, Guid ownerId, string status, CancellationToken ct);
}

internal sealed partial class LoggingVideoStatusNotifier(ILogger<LoggingVideoStatusNotifier> log) : IVideoStatusNotifier
{
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
