using System.Globalization;

namespace IgLive.Service.Features.Media.Processing;

/// <summary>One HLS rendition: its folder name, height and H.264/AAC bit rates.</summary>
public sealed record HlsRendition(string Name, int Height, int VideoKbps, int AudioKbps);

/// <summary>
/// The rendition ladder and the single ffmpeg run that makes it: one decode, split and scaled per rendition, H.264
/// (main profile, yuv420p, key frames every segment so segments cut cleanly) and AAC stereo when the source has sound,
/// HLS VOD playlists per rendition plus the master playlist.
/// </summary>
public static class HlsLadder
{
    public const string MasterPlaylist = "master.m3u8";
    public const string Thumbnail = "thumbnail.jpg";

    private static readonly HlsRendition P360 = new("360p", 360, 800, 96);
    private static readonly HlsRendition P720 = new("720p", 720, 2800, 128);

    /// <summary>360p always; 720p when the source is at least 720 tall.</summary>
    public static HlsRendition[] For(MediaProbe probe) => probe.Height >= 720 ? [P360, P720] : [P360];

    /// <summary>ffmpeg arguments (after the hardening flags) writing <paramref name="renditions"/> of <paramref name="source"/> into <paramref name="folder"/>.</summary>
    public static List<string> Arguments(string source, string folder, MediaProbe probe, HlsRendition[] renditions, string preset, int segmentSeconds)
    {
        var split = string.Join("", renditions.Select((_, i) => $"[s{i}]"));
        var scales = string.Join(";", renditions.Select((r, i) => $"[s{i}]scale=-2:{r.Height}[v{i}]"));
        var args = new List<string>
        {
            "-i", source,
            "-filter_complex", $"[0:v:0]split={renditions.Length}{split};{scales}",
        };
        for (var i = 0; i < renditions.Length; i++)
        {
            args.AddRange(["-map", $"[v{i}]"]);
            if (probe.HasAudio) args.AddRange(["-map", "0:a:0"]);
        }
        args.AddRange(["-c:v", "libx264", "-preset", preset, "-profile:v", "main", "-pix_fmt", "yuv420p",
            "-force_key_frames", $"expr:gte(t,n_forced*{segmentSeconds})", "-sc_threshold", "0"]);
        for (var i = 0; i < renditions.Length; i++)
        {
            var r = renditions[i];
            args.AddRange([$"-b:v:{i}", K(r.VideoKbps), $"-maxrate:v:{i}", K(r.VideoKbps * 107 / 100), $"-bufsize:v:{i}", K(r.VideoKbps * 2)]);
            if (probe.HasAudio) args.AddRange([$"-b:a:{i}", K(r.AudioKbps)]);
        }
        if (probe.HasAudio) args.AddRange(["-c:a", "aac", "-ac", "2"]);
        var map = string.Join(" ", renditions.Select((r, i) => probe.HasAudio ? $"v:{i},a:{i},name:{r.Name}" : $"v:{i},name:{r.Name}"));
        args.AddRange(["-f", "hls", "-hls_time", segmentSeconds.ToString(CultureInfo.InvariantCulture), "-hls_playlist_type", "vod",
            "-hls_flags", "independent_segments", "-hls_segment_type", "mpegts",
            "-hls_segment_filename", Path.Combine(folder, "%v", "seg_%03d.ts"),
            "-master_pl_name", MasterPlaylist, "-var_stream_map", map, Path.Combine(folder, "%v", "index.m3u8")]);
        return args;
    }

    /// <summary>ffmpeg arguments for a JPEG of the frame at <paramref name="seek"/> seconds, at most 640 wide.</summary>
    public static string[] ThumbnailArguments(string source, string jpeg, string seek) =>
        ["-ss", seek, "-i", source, "-frames:v", "1", "-vf", "scale='min(640,iw)':-2", "-f", "image2", "-c:v", "mjpeg", jpeg];

    private static string K(int kbps) => kbps.ToString(CultureInfo.InvariantCulture) + "k";
}
