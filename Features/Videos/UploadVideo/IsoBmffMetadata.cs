using System.Buffers.Binary;

using IgLive.Service.Features.Videos.Publishing;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// Duration (<c>moov/mvhd</c>) and frame size (the first video <c>trak</c>'s <c>tkhd</c>, video by its <c>mdia/hdlr</c>)
/// of an MP4/MOV file. Boxes are walked by offset and size, reading only their headers and the first bytes of those three
/// small boxes into one stack buffer: the memory used does not depend on what sizes a file declares, and a box the
/// walk does not need (mdat, udta, minf, anything nested deeper) is skipped by seeking, however large or deep.
/// </summary>
internal static class IsoBmffMetadata
{
    // Four-character codes as big-endian integers.
    private const uint Moov = 0x6D6F6F76, Mvhd = 0x6D766864, Trak = 0x7472616B, Tkhd = 0x746B6864, Mdia = 0x6D646961,
        Hdlr = 0x68646C72, Vide = 0x76696465;

    /// <summary>mvhd v1 needs 32 bytes, tkhd v1 96, hdlr 12: enough of any of them.</summary>
    private const int SmallBoxBytes = 96;

    /// <summary>Headers read at most: bounds the work on a crafted moov of millions of tiny boxes (real ones have dozens).</summary>
    private const int MaxBoxes = 10_000;

    private readonly record struct Box(uint Type, long Body, long End)
    {
        public long BodyLength => End - Body;
    }

    /// <summary>Reads the metadata; <see cref="VideoInfo.Unknown"/> without a complete moov box.</summary>
    public static VideoInfo Read(Stream s)
    {
        var walk = new Walk(s);
        for (var pos = 0L; walk.Next(pos, s.Length, out var box); pos = box.End)
            if (box.Type == Moov) return walk.ReadMoov(box);
        return VideoInfo.Unknown;
    }

    private sealed class Walk(Stream s)
    {
        private readonly byte[] small = new byte[SmallBoxBytes];
        private int boxes;

        /// <summary>
        /// The box at <paramref name="pos"/> inside a parent ending at <paramref name="end"/>; false when there is none
        /// or it is truncated (declares more than its parent holds). Size 1: a 64-bit size follows the type; size 0: the
        /// box extends to the end of its parent (the file at top level).
        /// </summary>
        public bool Next(long pos, long end, out Box box)
        {
            box = default;
            if (end - pos < 8 || ++boxes > MaxBoxes) return false;
            Span<byte> header = stackalloc byte[16];
            s.Position = pos;
            s.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            var headerLength = 8;
            if (size == 1)
            {
                if (end - pos < 16) return false;
                s.ReadExactly(header[8..16]);
                var large = BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
                if (large > long.MaxValue) return false;
                size = (long)large;
                headerLength = 16;
            }
            else if (size == 0) size = end - pos;
            if (size < headerLength || size > end - pos) return false;
            box = new Box(type, pos + headerLength, pos + size);
            return true;
        }

        /// <summary>The first bytes of a box's body (at most <see cref="SmallBoxBytes"/>), in the shared buffer.</summary>
        private ReadOnlySpan<byte> Head(Box box)
        {
            var length = (int)Math.Min(box.BodyLength, SmallBoxBytes);
            s.Position = box.Body;
            s.ReadExactly(small, 0, length);
            return small.AsSpan(0, length);
        }

        public VideoInfo ReadMoov(Box moov)
        {
            double? duration = null;
            int? width = null, height = null;
            for (var pos = moov.Body; Next(pos, moov.End, out var box); pos = box.End)
            {
                if (box.Type == Mvhd) duration = ParseMvhd(Head(box));
                else if (box.Type == Trak && width is null)
                {
                    var (w, h, isVideo) = ReadTrak(box);
                    if (isVideo && w > 0 && h > 0) (width, height) = (w, h);
                }
            }
            return new VideoInfo(duration, width, height);
        }

        private (int W, int H, bool IsVideo) ReadTrak(Box trak)
        {
            int w = 0, h = 0;
            var isVideo = false;
            for (var pos = trak.Body; Next(pos, trak.End, out var box); pos = box.End)
            {
                if (box.Type == Tkhd) (w, h) = ParseTkhd(Head(box));
                else if (box.Type == Mdia)
                    for (var at = box.Body; Next(at, box.End, out var child); at = child.End)
                        if (child.Type == Hdlr && Head(child) is { Length: >= 12 } hdlr)
                            isVideo = BinaryPrimitives.ReadUInt32BigEndian(hdlr[8..]) == Vide;
            }
            return (w, h, isVideo);
        }
    }

    private static double? ParseMvhd(ReadOnlySpan<byte> b)
    {
        // version(1) flags(3), then v0: creation(4) modification(4) timescale(4) duration(4); v1: 8/8/4/8.
        uint timescale; ulong duration;
        if (b.Length < (b.Length > 0 && b[0] == 1 ? 32 : 20)) return null;
        if (b[0] == 1) { timescale = BinaryPrimitives.ReadUInt32BigEndian(b[20..]); duration = BinaryPrimitives.ReadUInt64BigEndian(b[24..]); }
        else { timescale = BinaryPrimitives.ReadUInt32BigEndian(b[12..]); duration = BinaryPrimitives.ReadUInt32BigEndian(b[16..]); }
        // 0 is what a fragmented MP4 (MediaRecorder, empty_moov) says: unknown here, processing's ffprobe fills it in.
        if (timescale == 0 || duration == 0 || duration == uint.MaxValue || duration == ulong.MaxValue) return null;
        return Math.Round((double)duration / timescale, 3);
    }

    private static (int W, int H) ParseTkhd(ReadOnlySpan<byte> b)
    {
        // Width and height are 16.16 fixed point at the end: offset 76 (v0) or 88 (v1) from the box body; the display
        // matrix {a b u, c d v, x y w} sits 36 bytes before them. A quarter turn (a = d = 0) is how phones record
        // portrait video in landscape frames: the displayed size is the stored one swapped.
        var offset = b.Length > 0 && b[0] == 1 ? 88 : 76;
        if (b.Length < offset + 8) return (0, 0);
        var (w, h) = ((int)(BinaryPrimitives.ReadUInt32BigEndian(b[offset..]) >> 16), (int)(BinaryPrimitives.ReadUInt32BigEndian(b[(offset + 4)..]) >> 16));
        var matrix = b[(offset - 36)..];
        var quarterTurn = BinaryPrimitives.ReadInt32BigEndian(matrix) == 0 && BinaryPrimitives.ReadInt32BigEndian(matrix[16..]) == 0
                          && BinaryPrimitives.ReadInt32BigEndian(matrix[4..]) != 0 && BinaryPrimitives.ReadInt32BigEndian(matrix[12..]) != 0;
        return quarterTurn ? (h, w) : (w, h);
    }
}
