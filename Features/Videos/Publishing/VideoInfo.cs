namespace IgLive.Service.Features.Videos.Publishing;

/// <summary>What the container says about the video; any part may be unknown.</summary>
public sealed record VideoInfo(double? DurationSeconds, int? Width, int? Height)
{
    public static readonly VideoInfo Unknown = new(null, null, null);

    /// <summary>Drops values the schema would refuse (negative, zero, NaN).</summary>
    public VideoInfo Sane() => new(
        DurationSeconds is { } d && double.IsFinite(d) && d >= 0 ? d : null,
        Width is > 0 and < 100_000 ? Width : null,
        Height is > 0 and < 100_000 ? Height : null);
}
