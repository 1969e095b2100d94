using System.Text;
using IgLive.Service.Features.Videos.Publishing;
using Microsoft.Net.Http.Headers;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// Reads an upload's multipart body straight off the request, in order and bounded: a handful of parts, and only the
/// known fields are ever held in memory. The file part is handed to the caller's store step as it streams; fields
/// sent before it are validated before a byte is stored.
/// </summary>
public static class UploadFormReader
{
    private const int MaxSections = 16;
    private const int MaxFieldBytes = 16 * 1024;

    /// <summary>
    /// The validated fields once the whole body is read; <paramref name="storeFile"/> is called once, with the file
    /// part's body, and returns null when the file is stored. Broken framing throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task<Outcome<VideoFields>> ReadAsync(HttpRequest request, Func<Stream, Task<Refusal?>> storeFile, CancellationToken ct)
    {
        // Straight off the request's pipe: MultipartReader's boundary scan and its copies bounded a large upload's
        // throughput (docs/benchmarks.md, "Upload").
        var reader = new MultipartPipeReader(request.BodyReader, Boundary(request));
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var sections = 0;
        var hasFile = false;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (++sections > MaxSections) return Refusal.Invalid("request", $"at most {MaxSections} multipart parts");
            if (section.Disposition is not { } disposition) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFormDisposition())
            {
                if (name is not ("title" or "description" or "tags"))
                {
                    await section.CopyToAsync(static _ => ValueTask.CompletedTask, ct);
                    continue;
                }
                if (await ReadFieldAsync(section.Body, ct) is not { } value) return Refusal.Invalid(name, $"{name} is too long");
                fields.TryAdd(name, value);
                continue;
            }
            if (!disposition.IsFileDisposition()) continue;
            if (name != "file") return Refusal.Invalid("file", "the file part must be named 'file'");
            if (hasFile) return Refusal.Invalid("file", "send exactly one file");
            if (fields.ContainsKey("title") && Validate(fields) is { IsRefused: true } early) return early; // refuse before storing anything
            if (await storeFile(section.Body) is { } refusal) return refusal;
            hasFile = true;
        }
        return hasFile ? Validate(fields) : Refusal.Invalid("file", "a video file is required");
    }

    private static Outcome<VideoFields> Validate(Dictionary<string, string> fields)
    {
        var f = VideoFields.From(fields.GetValueOrDefault("title"), fields.GetValueOrDefault("description"),
            VideoFields.SplitTags(fields.GetValueOrDefault("tags")));
        var errors = VideoFieldsValidator.Instance.Validate(f).Errors;
        return errors.Count > 0 ? Refusal.Invalid(errors) : f;
    }

    private static string Boundary(HttpRequest request)
    {
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var mt) ? HeaderUtilities.RemoveQuotes(mt.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200) throw new InvalidDataException("missing or oversized multipart boundary");
        return boundary;
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var n = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        return n > MaxFieldBytes ? null : Encoding.UTF8.GetString(buffer, 0, n);
    }
}
