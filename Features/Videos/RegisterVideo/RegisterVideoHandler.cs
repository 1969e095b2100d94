using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation.Results;
using IgLive.Service.Features.Housekeeping.StorageDeletions;
using IgLive.Service.Features.Videos.Publishing;
using IgLive.Service.Features.Videos.UploadVideo;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Videos.RegisterVideo;

/// <summary>
/// The JSON form of <c>POST /api/videos</c>: registers a file the client uploaded directly to ImageKit with the
/// parameters of <c>GET /api/auth/imagekit</c>. ImageKit must know the file, it must be a video in the configured
/// folder, and a file is registered once.
/// </summary>
public sealed partial class RegisterVideoHandler(
    IServiceProvider services,
    IOptions<StorageOptions> storage,
    StorageDeletionQueue deletions,
    VideoPublisher publisher,
    NpgsqlDataSource db,
    IOptions<UploadOptions> upload,
    ILogger<RegisterVideoHandler> log)
{
    private const int MaxJsonBytes = 64 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<Outcome<VideoDto>> HandleAsync(HttpContext http, Guid? userId, CancellationToken ct)
    {
        if (storage.Value.Provider != StorageProvider.ImageKit || services.GetService<ImageKitClient>() is not { } imageKit)
            return new Refusal(404, "This server does not store videos in ImageKit.");
        if (http.Request.ContentLength > MaxJsonBytes) return new Refusal(413, "The JSON body is too large.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxJsonBytes;

        var req = await http.Request.ReadFromJsonAsync<RegisterVideoRequest>(Json, ct);
        if (req is null) return Refusal.Invalid("request", "a JSON object is required");
        var errors = new List<ValidationFailure>();
        if (req.ImagekitFileId is not { } fileId || !FileIdPattern().IsMatch(fileId))
            errors.Add(new ValidationFailure("imagekit_file_id", "imagekit_file_id must be an ImageKit fileId"));
        var fields = VideoFields.From(req.Title, req.Description, req.Tags);
        errors.AddRange(VideoFieldsValidator.Instance.Validate(fields).Errors);
        if (errors.Count > 0) return Refusal.Invalid(errors);

        var file = await imageKit.GetFileAsync(req.ImagekitFileId!, ct);
        if (CheckFile(file, imageKit.Options.Folder) is { } problem) return Refusal.Invalid("imagekit_file_id", problem);
        // Only a file at a path GET /api/auth/imagekit issued to this caller (V2 tokens fix folder and name).
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            var owner = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(RegisterVideoSql.IssuedTo,
                new { FilePath = file!.FilePath }, cancellationToken: ct));
            if (owner != userId)
                return new Refusal(403, "This file was not uploaded with upload parameters issued to you.");
        }
        if (file.Size > upload.Value.MaxBytes)
        {
            await deletions.EnqueueFilesAsync(StorageProviders.ImageKit, [req.ImagekitFileId!], null, DeletionReasons.DirectUploadRefused, ct);
            return new Refusal(413, $"The video is larger than {upload.Value.MaxBytes} bytes; it has been deleted.");
        }

        var stored = StoredVideo.InImageKit(req.ImagekitFileId!, file!.FilePath, file.Url!, new VideoContainer(file.Mime!, "", false),
            file.Size!.Value, new VideoInfo(file.Duration, file.Width, file.Height));
        var id = Guid.NewGuid();
        VideoDto dto;
        try
        {
            // A file whose earlier video was deleted or expired is queued for deletion: registering it again would make
            // a video whose file the drainer is about to remove.
            if (await deletions.IsQueuedAsync(stored.Provider, new[] { stored.Key, stored.Path }.OfType<string>().ToArray(), ct))
                return new Refusal(409, "This ImageKit file belongs to a deleted video and is being deleted.", "Being deleted");
            dto = await publisher.PublishAsync(id, userId, fields, stored, "imagekit_direct")
                  ?? throw new InvalidOperationException("a registration queues no deletion, so its insert cannot be refused");
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "videos_storage_key" })
        {
            return new Refusal(409, "This ImageKit file is already registered as a video.", "Already registered");
        }
        Log.Registered(log, id, dto.Author.Id, stored.Key);
        return dto;
    }

    /// <summary>Why ImageKit's file cannot become a video, or null when it can.</summary>
    private static string? CheckFile(ImageKitFile? file, string folder)
    {
        var prefix = folder.TrimEnd('/') + "/";
        if (file is null) return "ImageKit has no file with this id";
        if (file.FileType != "non-image" || file.Mime?.StartsWith("video/", StringComparison.Ordinal) != true) return "the file is not a video";
        if (file.FilePath is not { } path || !path.StartsWith(prefix, StringComparison.Ordinal) || path.Contains("/../", StringComparison.Ordinal))
            return $"the file is not in the upload folder {folder}";
        if (file.Size is not > 0 || string.IsNullOrEmpty(file.Url)) return "the file is empty";
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex FileIdPattern();

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Video {VideoId} registered by {UserId} from ImageKit file {FileId}")]
        public static partial void Registered(ILogger logger, Guid videoId, Guid userId, string fileId);
    }
}

internal static class RegisterVideoSql
{
    // Who the direct upload at this path was issued to (direct_uploads_pkey); null when it was not issued.
    public const string IssuedTo = "SELECT user_id FROM direct_uploads WHERE file_path = @FilePath";
}
