using System.Buffers.Binary;

using IgLive.Service.Features.Videos.Publishing;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// Duration and frame size from the container headers of a stored file: MP4/MOV <c>moov/mvhd</c> and the video
/// track's <c>tkhd</c> (<see cref="IsoBmffMetadata"/>, bounded buffers); WebM/Matroska <c>Segment/Info</c> and
/// <c>Tracks/TrackEntry/Video</c>. Reads only headers (seeking over media data), never decodes. Anything unreadable
/// gives nulls, never an exception.
/// </summary>
public static class VideoMetadata
{
    // Info and Tracks are a few KB (Tracks holds each codec's private data); larger ones are skipped, not copied.
    private const int MaxHeaderBytes = 1024 * 1024;

    public static VideoInfo Read(string path, VideoContainer container)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            var info = container.IsIsoBmff ? IsoBmffMetadata.Read(fs) : ReadMatroska(fs);
            return info.Sane();
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or OverflowException or IndexOutOfRangeException)
        {
            return VideoInfo.Unknown;
        }
    }

    // ---- EBML (WebM/Matroska) ----

    private const uint EbmlHeaderId = 0x1A45DFA3, SegmentId = 0x18538067, InfoId = 0x1549A966, TracksId = 0x1654AE6B,
        ClusterId = 0x1F43B675, TimecodeScaleId = 0x2AD7B1, DurationId = 0x4489, TrackEntryId = 0xAE, TrackTypeId = 0x83,
        VideoId = 0xE0, PixelWidthId = 0xB0, PixelHeightId = 0xBA;

    private static VideoInfo ReadMatroska(FileStream fs)
    {
        long length = fs.Length;
        fs.Position = 0;
        var (id, size) = ReadElementHeader(fs);
        if (id != EbmlHeaderId || size is null) return VideoInfo.Unknown;
        fs.Position += size.Value;
        (id, size) = ReadElementHeader(fs);
        if (id != SegmentId) return VideoInfo.Unknown;
        var segmentEnd = size is { } s ? Math.Min(length, fs.Position + s) : length;

        double? rawDuration = null;
        ulong timecodeScale = 1_000_000;
        int? width = null, height = null;
        bool sawInfo = false, sawTracks = false;
        while (fs.Position < segmentEnd && !(sawInfo && sawTracks))
        {
            (id, size) = ReadElementHeader(fs);
            if (id == ClusterId || size is null) break; // media data starts; headers come before it
            if (size > MaxHeaderBytes) { fs.Position += size.Value; continue; }
            if (id == InfoId)
            {
                sawInfo = true;
                foreach (var (cid, data) in Children(ReadBytes(fs, size.Value)))
                {
                    if (cid == TimecodeScaleId) timecodeScale = ReadUInt(data);
                    else if (cid == DurationId)
                        rawDuration = data.Length == 4 ? BinaryPrimitives.ReadSingleBigEndian(data) : data.Length == 8 ? BinaryPrimitives.ReadDoubleBigEndian(data) : null;
                }
            }
            else if (id == TracksId)
            {
                sawTracks = true;
                foreach (var (cid, entry) in Children(ReadBytes(fs, size.Value)))
                {
                    if (cid != TrackEntryId || width is not null) continue;
                    var children = Children(entry);
                    if (!children.Any(c => c.Id == TrackTypeId && ReadUInt(c.Data) == 1)) continue; // 1 = video
                    foreach (var (vid, video) in children)
                        if (vid == VideoId)
                            foreach (var (pid, px) in Children(video))
                            {
                                if (pid == PixelWidthId) width = (int)ReadUInt(px);
                                else if (pid == PixelHeightId) height = (int)ReadUInt(px);
                            }
                }
            }
            else fs.Position += size.Value;
        }
        double? duration = rawDuration is { } d ? Math.Round(d * timecodeScale / 1e9, 3) : null;
        return new VideoInfo(duration, width, height);
    }

    private static byte[] ReadBytes(FileStream fs, long size)
    {
        var data = new byte[size];
        fs.ReadExactly(data);
        return data;
    }

    /// <summary>Element id (with its length marker, as ids are written in the spec) and data size (null = unknown).</summary>
    private static (uint Id, long? Size) ReadElementHeader(Stream s)
    {
        var first = s.ReadByte();
        if (first <= 0) throw new InvalidDataException("bad EBML id");
        var idLength = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 24 + 1;
        if (idLength > 4) throw new InvalidDataException("bad EBML id");
        uint id = (uint)first;
        for (var i = 1; i < idLength; i++) id = (id << 8) | (uint)ReadByteOrThrow(s);

        var b = ReadByteOrThrow(s);
        if (b == 0) throw new InvalidDataException("bad EBML size");
        var sizeLength = System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24 + 1;
        long size = b & (0xFF >> sizeLength);
        var allOnes = size == (0xFF >> sizeLength);
        for (var i = 1; i < sizeLength; i++)
        {
            var next = ReadByteOrThrow(s);
            size = (size << 8) | (uint)next;
            allOnes &= next == 0xFF;
        }
        return (id, allOnes ? null : size);
    }

    private static int ReadByteOrThrow(Stream s) => s.ReadByte() is var b and >= 0 ? b : throw new InvalidDataException("truncated EBML");

    private static List<(uint Id, byte[] Data)> Children(byte[] data)
    {
        var list = new List<(uint, byte[])>();
        using var ms = new MemoryStream(data, writable: false);
        while (ms.Position < ms.Length)
        {
            var (id, size) = ReadElementHeader(ms);
            if (size is null || ms.Position + size > ms.Length) break;
            list.Add((id, data.AsSpan((int)ms.Position, (int)size.Value).ToArray()));
            ms.Position += size.Value;
        }
        return list;
    }

    private static ulong ReadUInt(byte[] data)
    {
        ulong v = 0;
        foreach (var b in data.AsSpan(0, Math.Min(8, data.Length))) v = (v << 8) | b;
        return v;
    }
}
