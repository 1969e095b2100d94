namespace IgLive.Service.Features.Common;

/// <summary>Values of <c>videos.status</c> / <see cref="VideoDto.Status"/>.</summary>
public static class VideoStatuses
{
    /// <summary>Stored; its thumbnail and HLS renditions are being made. Visible to its owner only.</summary>
    public const string Processing = "processing";
    /// <summary>Playable; visible to everyone the visibility rules allow.</summary>
    public const string Ready = "ready";
    /// <summary>Could not be processed (<see cref="VideoDto.FailureReason"/>). Visible to its owner only.</summary>
    public const string Failed = "failed";
}
