using System.Buffers.Binary;
using IgLive.Service.Features.Videos.Publishing;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// Recognises MP4/MOV (an ISO-BMFF <c>ftyp</c> box at offset 4 with a video brand) and WebM/Matroska (EBML magic
/// <c>1A 45 DF A3</c> with its DocType) from the first bytes. The client's file name and part Content-Type are never
/// consulted: they are whatever the client says.
/// </summary>
public static class VideoSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> wants to see.</summary>
    public const int HeadLength = 64;

    public static readonly VideoContainer Mp4 = new("video/mp4", "mp4", true);
    public static readonly VideoContainer QuickTime = new("video/quicktime", "mov", true);
    public static readonly VideoContainer WebM = new("video/webm", "webm", false);
    public static readonly VideoContainer Matroska = new("video/x-matroska", "mkv", false);

    // ISO-BMFF brands that are still images or audio only (HEIF/AVIF photos, iTunes audio, camera raw).
    private static readonly HashSet<string> NotVideoBrands =
        ["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1", "avif", "avis", "crx ",
         "M4A ", "M4B ", "M4P ", "F4A ", "F4B "];

    public static VideoContainer? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(head);
            var brandBytes = head.Slice(8, 4);
            foreach (var b in brandBytes) if (b is < 0x20 or > 0x7E) return null;
            if (size is < 16 or > 4096) return null; // ftyp = header + major brand + minor version (+ compatible brands)
            var brand = System.Text.Encoding.ASCII.GetString(brandBytes);
            if (NotVideoBrands.Contains(brand)) return null;
            return brand == "qt  " ? QuickTime : Mp4;
        }
        if (head.Length >= 4 && head[..4].SequenceEqual((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            // The EBML header (with DocType) is a few dozen bytes long and always comes first.
            if (head.IndexOf("webm"u8) > 0) return WebM;
            if (head.IndexOf("matroska"u8) > 0) return Matroska;
        }
        return null;
    }
}
