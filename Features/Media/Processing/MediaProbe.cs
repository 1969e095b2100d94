using System.Globalization;
using System.Text.Json;

namespace IgLive.Service.Features.Media.Processing;

/// <summary>What ffprobe read from a source file: the displayed frame size (rotation applied) and whether it has sound.</summary>
public sealed record MediaProbe(double? DurationSeconds, int Width, int Height, bool HasAudio)
{
    /// <summary>The ffprobe arguments (after the hardening flags) for <paramref name="source"/>.</summary>
    public static string[] Arguments(string source) =>
        ["-show_entries", "format=duration:stream=codec_type,width,height:stream_side_data=rotation", "-of", "json", source];

    /// <summary>The probe of ffprobe's JSON, or null when it shows no decodable video stream.</summary>
    public static MediaProbe? Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (!root.TryGetProperty("streams", out var streams) || streams.ValueKind != JsonValueKind.Array) return null;
            JsonElement? video = null;
            var audio = false;
            foreach (var s in streams.EnumerateArray())
            {
                var type = s.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
                if (type == "audio") audio = true;
                else if (type == "video" && video is null && s.TryGetProperty("width", out _)) video = s;
            }
            if (video is not { } v || !v.TryGetProperty("width", out var w) || !v.TryGetProperty("height", out var h)
                || !w.TryGetInt32(out var width) || !h.TryGetInt32(out var height) || width <= 0 || height <= 0) return null;
            if (Rotation(v) is 90 or 270) (width, height) = (height, width);
            double? duration = root.TryGetProperty("format", out var f) && f.TryGetProperty("duration", out var d)
                && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && double.IsFinite(seconds) && seconds >= 0 ? seconds : null;
            return new MediaProbe(duration, width, height, audio);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int Rotation(JsonElement stream)
    {
        if (!stream.TryGetProperty("side_data_list", out var list) || list.ValueKind != JsonValueKind.Array) return 0;
        foreach (var item in list.EnumerateArray())
            if (item.TryGetProperty("rotation", out var r) && r.TryGetInt32(out var degrees)) return ((degrees % 360) + 360) % 360;
        return 0;
    }
}
