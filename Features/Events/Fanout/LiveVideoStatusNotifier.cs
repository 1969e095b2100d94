using IgLive.Service.Features.Media.Processing;

namespace IgLive.Service.Features.Events.Fanout;

/// <summary>
/// Announces a processed video's new status (ready or failed) to the live streams of every instance: its owner's
/// streams and the video's subscribers get a <c>video</c> event. Called after the status change committed, so the
/// announcement goes out on a connection of its own.
/// </summary>
internal sealed class LiveVideoStatusNotifier(NpgsqlDataSource db) : IVideoStatusNotifier
{
    public async Task VideoStatusChangedAsync(Guid videoId, Guid ownerId, string status, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await LiveEvents.AnnounceAsync(conn, LiveEvents.VideoStatus(videoId), ct);
    }
}
