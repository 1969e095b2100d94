using System.Net.Http.Headers;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Videos.UploadVideo;

/// <summary>Video fixtures and multipart requests for the upload tests.</summary>
public static class UploadHelpers
{
    /// <summary>Checked-in fixtures (made once with ffmpeg: 160×120, 2 s, testsrc), so the suite needs no ffmpeg.</summary>
    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name));

    /// <summary>A valid MP4 header (ftyp box) followed by <paramref name="size"/> bytes of zeros: accepted by the sniffer.</summary>
    public static byte[] FakeMp4(int size)
    {
        var bytes = new byte[size];
        "\0\0\0\u0018ftypisom\0\0\u0002\0isomiso2"u8.ToArray().CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>Multipart body with the fields in the given order; null fields are left out.</summary>
    public static MultipartFormDataContent Form(HttpContent? file, string? title = "my video", string? description = null,
        string? tags = null, bool fieldsAfterFile = false, string fileName = "clip.bin")
    {
        var form = new MultipartFormDataContent();
        void Fields()
        {
            if (title is not null) form.Add(new StringContent(title), "title");
            if (description is not null) form.Add(new StringContent(description), "description");
            if (tags is not null) form.Add(new StringContent(tags), "tags");
        }
        if (!fieldsAfterFile) Fields();
        if (file is not null)
        {
            // The part's own name and type are lies on purpose: the service must look at the bytes.
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(file, "file", fileName);
        }
        if (fieldsAfterFile) Fields();
        return form;
    }

    public static MultipartFormDataContent Form(byte[] file, string? title = "my video", string? description = null,
        string? tags = null, bool fieldsAfterFile = false)
        => Form(new ByteArrayContent(file), title, description, tags, fieldsAfterFile);

    /// <summary>
    /// Files in the store that no video row owns, plus anything left in the incoming folder: must always be empty
    /// after a request, whatever went wrong.
    /// </summary>
    public static async Task<string[]> StrayFilesAsync(this ServiceFactory app)
    {
        await using var conn = app.OpenConnection();
        // A key ending in '/' is a folder the video owns whole (its processed outputs).
        var owned = (await conn.QueryAsync<string>("SELECT storage_key FROM videos WHERE storage_provider = 'local' UNION ALL SELECT thumbnail_key FROM videos WHERE thumbnail_key IS NOT NULL"))
            .Select(k => Path.GetFullPath(Path.Combine(app.StoragePath, k))).ToList();
        return Directory.EnumerateFiles(app.StoragePath, "*", SearchOption.AllDirectories)
            .Where(f => !owned.Any(o => o.EndsWith('/') ? Path.GetFullPath(f).StartsWith(o, StringComparison.Ordinal) : Path.GetFullPath(f) == o)).ToArray();
    }

    public static async Task<long> CountVideosAsync(this ServiceFactory app, Guid userId)
    {
        await using var conn = app.OpenConnection();
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM videos WHERE user_id = @userId", new { userId });
    }

    /// <summary>Makes inserts of videos titled <paramref name="title"/> fail with a transient (40001) database error.</summary>
    public static async Task InstallInsertFailureAsync(this ServiceFactory app, string title)
    {
        await using var conn = app.OpenConnection();
        await conn.ExecuteAsync($$"""
            CREATE FUNCTION fail_video_insert() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF NEW.title = '{{title}}' THEN RAISE EXCEPTION 'injected by the test' USING ERRCODE = '40001'; END IF;
                RETURN NEW;
            END $f$;
            CREATE TRIGGER fail_video_insert BEFORE INSERT ON videos FOR EACH ROW EXECUTE FUNCTION fail_video_insert();
            """);
    }
}

/// <summary>A request body of unknown length (sent chunked) that yields <paramref name="bytes"/> in small reads.</summary>
public sealed class ChunkedStream(byte[] bytes, int failAfter = int.MaxValue, Func<Task>? beforeFailing = null) : Stream
{
    private int position;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position >= failAfter)
        {
            if (beforeFailing is not null) await beforeFailing();
            throw new IOException("the client went away");
        }
        var n = Math.Min(Math.Min(buffer.Length, 16 * 1024), Math.Min(bytes.Length, failAfter) - position);
        if (n <= 0) return 0;
        bytes.AsMemory(position, n).CopyTo(buffer);
        position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
