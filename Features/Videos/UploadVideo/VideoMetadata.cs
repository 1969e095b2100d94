using System.Buffers.Binary;

using IgLive.Service.Features.Videos.Publishing;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// Duration and frame size from the container headers of a stored file: MP4/MOV <c>moov/mvhd</c> and the video
/// track's <c>tkhd</c>; WebM/Matroska <c>Segment/Info</c> and <c>Tracks/TrackEntry/Video</c>. Reads only headers
/// (seeking over media data), never decodes. Anything unreadable gives nulls, never an exception.
/// </summary>
public static class VideoMetadata
{
    private const int MaxHeaderBytes = 32 * 1024 * 1024; // a moov of a very long video is a few MB

    public static VideoInfo Read(string path, VideoContainer container)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            var info = container.IsIsoBmff ? ReadIsoBmff(fs) : ReadMatroska(fs);
            return info.Sane();
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or OverflowException or IndexOutOfRangeException)
        {
            return VideoInfo.Unknown;
        }
    }

    // ---- ISO-BMFF (MP4/MOV) ----

    private static VideoInfo ReadIsoBmff(FileStream fs)
    {
        var header = new byte[16];
        long pos = 0, length = fs.Length;
        while (pos + 8 <= length)
        {
            fs.Position = pos;
            fs.ReadExactly(header, 0, 8);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header, 4, 4);
            var headerLength = 8;
            if (size == 1)
            {
                fs.ReadExactly(header, 8, 8);
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
                headerLength = 16;
            }
            else if (size == 0) size = length - pos;
            if (size < headerLength || pos + size > length) return VideoInfo.Unknown;
            if (type == "moov")
            {
                if (size > MaxHeaderBytes) return VideoInfo.Unknown;
                var moov = new byte[size - headerLength];
                fs.ReadExactly(moov);
                return ParseMoov(moov);
            }
            pos += size;
        }
        return VideoInfo.Unknown;
    }

    private static VideoInfo ParseMoov(ReadOnlySpan<byte> moov)
    {
        double? duration = null;
        int? width = null, height = null;
        foreach (var (type, body) in Boxes(moov))
        {
            if (type == "mvhd") duration = ParseMvhd(body);
            else if (type == "trak" && width is null)
            {
                var (w, h, isVideo) = ParseTrak(body);
                if (isVideo && w > 0 && h > 0) (width, height) = (w, h);
            }
        }
        return new VideoInfo(duration, width, height);
    }

    private static double? ParseMvhd(ReadOnlySpan<byte> b)
    {
        // version(1) flags(3), then v0: creation(4) modification(4) timescale(4) duration(4); v1: 8/8/4/8.
        uint timescale; ulong duration;
        if (b[0] == 1) { timescale = BinaryPrimitives.ReadUInt32BigEndian(b[20..]); duration = BinaryPrimitives.ReadUInt64BigEndian(b[24..]); }
        else { timescale = BinaryPrimitives.ReadUInt32BigEndian(b[12..]); duration = BinaryPrimitives.ReadUInt32BigEndian(b[16..]); }
        if (timescale == 0 || duration == uint.MaxValue || duration == ulong.MaxValue) return null;
        return Math.Round((double)duration / timescale, 3);
    }

    private static (int W, int H, bool IsVideo) ParseTrak(ReadOnlySpan<byte> trak)
    {
        int w = 0, h = 0;
        var isVideo = false;
        foreach (var (type, body) in Boxes(trak))
        {
            if (type == "tkhd")
            {
                // Width and height are 16.16 fixed point at the end: offset 76 (v0) or 88 (v1) from the box body.
                var offset = body[0] == 1 ? 88 : 76;
                w = (int)(BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset)) >> 16);
                h = (int)(BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 4)) >> 16);
            }
            else if (type == "mdia")
            {
                foreach (var (t, hdlr) in Boxes(body))
                    if (t == "hdlr" && hdlr.Length >= 12) isVideo = hdlr.AsSpan(8, 4).SequenceEqual("vide"u8);
            }
        }
        return (w, h, isVideo);
    }

    private static List<(string Type, byte[] Body)> Boxes(ReadOnlySpan<byte> data)
    {
        var boxes = new List<(string, byte[])>();
        var pos = 0;
        while (pos + 8 <= data.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var type = System.Text.Encoding.ASCII.GetString(data.Slice(pos + 4, 4));
            var headerLength = 8;
            if (size == 1 && pos + 16 <= data.Length) { size = (long)BinaryPrimitives.ReadUInt64BigEndian(data[(pos + 8)..]); headerLength = 16; }
            else if (size == 0) size = data.Length - pos;
            if (size < headerLength || pos + size > data.Length) break;
            boxes.Add((type, data.Slice(pos + headerLength, (int)size - headerLength).ToArray()));
            pos += (int)size;
        }
        return boxes;
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
