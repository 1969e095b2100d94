using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation.Results;
using IgLive.Service.Infrastructure.Configuration;
using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Storage;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// <c>POST /api/videos</c> in two forms, chosen by Content-Type: a multipart upload streamed to the configured store
/// (local disk or ImageKit) without buffering, or a JSON registration of a file the client uploaded directly to
/// ImageKit. The row is inserted only once the file is complete; whatever was stored for a request that does not end
/// in a row is removed (local files at once, ImageKit files through the <c>storage_deletions</c> queue: by fileId, or by
/// path when the upload failed without telling us whether ImageKit kept the file).
/// </summary>
public sealed partial class UploadVideoEndpoint(
    NpgsqlDataSource db,
    TimeProvider clock,
    LocalFileStore local,
    IOptions<StorageOptions> storage,
    IOptions<UploadOptions> upload,
    IOptions<CleanupOptions> cleanup,
    ILogger<UploadVideoEndpoint> log) : EndpointWithoutRequest<VideoDto>
{
    /// <summary>Room for the form fields and multipart framing on top of the file itself.</summary>
    public const long FormOverheadBytes = 64 * 1024;
    private const int MaxFieldBytes = 16 * 1024;
    private const int MaxJsonBytes = 64 * 1024;
    private const int ReaderBufferBytes = 256 * 1024;
    private const int CopyBufferBytes = 256 * 1024;
    private const string StreamSuffix = "/ik-master.m3u8?tr=sr-240_360_480_720_1080";
    private static readonly Counter<long> Uploaded = IgLiveTelemetry.Meter.CreateCounter<long>("iglive.videos.uploaded", "{video}", "Videos uploaded or registered");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private IResult? refusal;

    public override void Configure()
    {
        Post("/api/videos");
        AllowFileUploads(dontAutoBindFormData: true);
        MaxRequestBodySize((Config?.GetValue<long?>("Upload:MaxBytes") ?? new UploadOptions().MaxBytes) + FormOverheadBytes);
        Summary(s =>
        {
            s.Summary = "Upload a video, or register one uploaded directly to ImageKit";
            s.Description = """
                Two request forms, chosen by Content-Type (anything else is 415):

                **multipart/form-data** — fields `title` (1..150), `description` (≤ 2000), `tags` (comma-separated, ≤ 10,
                each `^[a-z0-9_]{1,30}$` after lower-casing) and the `file` part. **Send the fields before `file`**: they are
                then checked before a byte is stored. The file is streamed to storage (never buffered whole), must be at
                most `Upload:MaxBytes` (413) and must be an MP4/MOV/WebM/Matroska container, recognised from its first
                bytes — not from its name or part Content-Type (415).

                **application/json** — `{imagekit_file_id, title, description, tags}` with `tags` as a JSON array: registers a
                file the client uploaded to ImageKit with the parameters of `GET /api/auth/imagekit`. ImageKit must know the
                file, it must be a video and lie in the configured folder (400 otherwise); a file is registered once (409).
                404 when the server does not store videos in ImageKit.
                """;
        });
        Description(b => b
            // One Accepts with both types: routing honours only the last accepts metadata (415 for anything else).
            .Accepts<UploadVideoForm>("multipart/form-data", "application/json")
            .Produces<VideoDto>(201, "application/json")
            .ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(404).ProducesProblemDetails(409)
            .ProducesProblemDetails(408).ProducesProblemDetails(413).ProducesProblemDetails(415).ProducesProblemDetails(502).ProducesProblemDetails(503));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var mediaType = System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(HttpContext.Request.ContentType, out var mt) ? mt.MediaType : null;
        if (string.Equals(mediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase)) await UploadAsync(ct);
        else if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase)) await RegisterAsync(ct);
        else await Send.ResultAsync(ProblemsExtensions.Problem(415, "Send multipart/form-data (a file upload) or application/json (an ImageKit registration)."));
    }

    // ---------------- multipart upload ----------------

    private async Task UploadAsync(CancellationToken ct)
    {
        var max = upload.Value.MaxBytes;
        if (HttpContext.Request.ContentLength > max + FormOverheadBytes)
        {
            await Send.ResultAsync(TooLarge(max));
            return;
        }

        var id = Guid.NewGuid();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        StoredVideo? stored = null;
        var committed = false;
        try
        {
            // Sections are read in order straight off the request body. The reader's buffer is raised from the default
            // 4 KiB (also what FormMultipartSectionsAsync uses) to 256 KiB: with 4 KiB reads the boundary scan and one
            // write per read bound the throughput of a large upload (see docs/benchmarks.md, "Upload").
            var reader = new MultipartReader(Boundary(), HttpContext.Request.Body, ReaderBufferBytes);
            var sections = 0;
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                // Bounded work per request: a handful of parts, and only the known fields are ever held in memory.
                if (++sections > MaxSections) { AddError(new ValidationFailure("request", $"at most {MaxSections} multipart parts")); ThrowIfAnyErrors(); }
                if (section.GetContentDispositionHeader() is not { } disposition) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFormDisposition())
                {
                    if (name is not ("title" or "description" or "tags"))
                    {
                        await section.Body.CopyToAsync(Stream.Null, ct);
                        continue;
                    }
                    var value = await ReadFieldAsync(section.Body, ct);
                    if (value is null) { AddError(new ValidationFailure(name, $"{name} is too long")); ThrowIfAnyErrors(); }
                    fields.TryAdd(name, value!);
                    continue;
                }
                if (!disposition.IsFileDisposition()) continue;
                if (name != "file") { AddError(new ValidationFailure("file", "the file part must be named 'file'")); ThrowIfAnyErrors(); }
                if (stored is not null) { AddError(new ValidationFailure("file", "send exactly one file")); ThrowIfAnyErrors(); }
                if (fields.ContainsKey("title")) ValidateFields(fields); // refuse before storing anything

                stored = await StoreAsync(id, section.Body, max, ct);
                if (stored is null)
                {
                    await Send.ResultAsync(refusal!);
                    return;
                }
            }
            if (stored is null) { AddError(new ValidationFailure("file", "a video file is required")); ThrowIfAnyErrors(); }
            var f = ValidateFields(fields);

            if (await InsertAsync(id, f, stored!) is not { } dto)
            {
                // The upload outlived the deletion queued for its files (Storage:IncomingMaxAgeMinutes, or ImageKit's
                // upload timeout plus search delay), which may already have removed them: refuse it; the finally
                // block removes whatever is left.
                Log.Outlived(log, id);
                await Send.ResultAsync(ProblemsExtensions.Problem(408, "The upload took too long to complete and was discarded; send it again.", "Upload too slow"));
                return;
            }
            committed = true;
            Uploaded.Add(1, new KeyValuePair<string, object?>("provider", stored!.Provider));
            Log.Uploaded(log, id, dto.Author.Id, stored.Provider, stored.SizeBytes);
            HttpContext.Response.Headers.Location = $"/api/videos/{id}";
            await Send.ResponseAsync(dto, StatusCodes.Status201Created, ct);
        }
        catch (Exception e) when (e is InvalidDataException || e is IOException and not BadHttpRequestException
                                  && !HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The multipart framing is broken (truncated body, bad boundary, oversized headers).
            await Send.ResultAsync(ProblemsExtensions.Problem(400, "The multipart body could not be read."));
        }
        finally
        {
            if (!committed && stored is not null) await DiscardAsync(id, stored);
        }
    }

    private string Boundary()
    {
        var boundary = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(HttpContext.Request.ContentType, out var mt)
            ? HeaderUtilities.RemoveQuotes(mt.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200) throw new InvalidDataException("missing or oversized multipart boundary");
        return boundary;
    }

    private VideoFields ValidateFields(Dictionary<string, string> fields)
    {
        var f = VideoFields.From(fields.GetValueOrDefault("title"), fields.GetValueOrDefault("description"),
            VideoFields.SplitTags(fields.GetValueOrDefault("tags")));
        foreach (var failure in VideoFieldsValidator.Instance.Validate(f).Errors) AddError(failure);
        ThrowIfAnyErrors();
        return f;
    }

    private const int MaxSections = 16;

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var n = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        return n > MaxFieldBytes ? null : Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>Sniffs the first bytes, then streams the part to the store. Null (and <see cref="refusal"/> set) when refused.</summary>
    private async Task<StoredVideo?> StoreAsync(Guid id, Stream body, long max, CancellationToken ct)
    {
        var head = new byte[VideoSniffer.HeadLength];
        var n = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (n == 0) { AddError(new ValidationFailure("file", "the file is empty")); ThrowIfAnyErrors(); }
        if (VideoSniffer.Sniff(head.AsSpan(0, n)) is not { } container)
        {
            refusal = ProblemsExtensions.Problem(415, "The file is not an MP4, MOV, WebM or Matroska video.");
            return null;
        }
        var stream = new ReplayingLimitedStream(head.AsMemory(0, n), body, max);
        return storage.Value.Provider == StorageProvider.ImageKit
            ? await StoreInImageKitAsync(id, container, stream, max, ct)
            : await StoreLocallyAsync(id, container, stream, max, ct);
    }

    private async Task<StoredVideo?> StoreLocallyAsync(Guid id, VideoContainer container, ReplayingLimitedStream stream, long max, CancellationToken ct)
    {
        var hex = id.ToString("N");
        var key = $"videos/{hex[..2]}/{hex}.{container.Extension}";
        var thumbnailKey = $"thumbnails/{hex[..2]}/{hex}.jpg";
        var final = local.Resolve(key)!;
        var thumbnail = local.Resolve(thumbnailKey)!;
        // Written under a name nothing serves, then moved into place in one step: a reader never sees half a file.
        // A process killed mid-write leaves the part file behind: LocalFileStore.SweepIncoming removes it later.
        Directory.CreateDirectory(local.IncomingPath);
        var temp = Path.Combine(local.IncomingPath, hex + LocalFileStore.PartSuffix);
        var done = false;
        try
        {
            // Unbuffered file, 256 KiB copy buffer: each read of the part goes straight to one write. A FileStream buffer
            // (1 MiB before) only added a third copy of every byte, and buffers that fit the CPU cache make the copies
            // into and out of them cheaper (docs/benchmarks.md, "Upload", 2026-11-25 second round).
            await using (var file = new FileStream(temp, new FileStreamOptions
                         { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 }))
            {
                await stream.CopyToAsync(file, CopyBufferBytes, ct);
            }
            var info = VideoMetadata.Read(temp, container);
            // From the move on, the video (and then its thumbnail) sits where it is served from, before its row exists:
            // queue their deletion first, due once the upload must long be over, so a process killed before the insert
            // leaves no file behind. The insert removes these rows in its own statement.
            var pendingUntil = await QueuePathDeletionAsync(id, StorageProviders.Local, [key, thumbnailKey], local.IncomingMaxAge);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(temp, final);
            var hasThumbnail = await Thumbnailer.TryCreateAsync(final, thumbnail, log, ct);
            done = true;
            return new StoredVideo(StorageProviders.Local, key, key, hasThumbnail ? thumbnailKey : null, "/media/" + key,
                hasThumbnail ? "/media/" + thumbnailKey : null, null, container, stream.BytesRead, info, [key, thumbnailKey], pendingUntil);
        }
        catch (UploadTooLargeException)
        {
            refusal = TooLarge(max);
            return null;
        }
        catch (IOException e) when (!stream.ReadFailed)
        {
            // The disk, not the request: a 500 with the cause logged, never mistaken for a malformed body.
            throw new InvalidOperationException("Writing the upload to local storage failed.", e);
        }
        finally
        {
            if (!done)
            {
                DeleteQuietly(temp);
                DeleteQuietly(final);
                DeleteQuietly(thumbnail);
            }
        }
    }

    private async Task<StoredVideo?> StoreInImageKitAsync(Guid id, VideoContainer container, ReplayingLimitedStream stream, long max, CancellationToken ct)
    {
        var imageKit = Resolve<ImageKitClient>();
        var o = imageKit.Options;
        // The name, hence the path, is ours and fixed before a byte is sent (no unique suffix, never overwriting): while
        // the outcome is unknown, the path is what the file can be found by. It is queued for deletion (by path) BEFORE
        // the upload starts, due only once the upload must have ended (timeout) plus the search delay: if this process
        // dies mid-upload, that row outlives it. The row goes in the statement that inserts the video, or as soon as
        // ImageKit's answer proves nothing was stored.
        var fileName = $"{id:N}.{container.Extension}";
        var path = ImageKitClient.FilePath(o.Folder, fileName);
        var pendingUntil = await QueuePathDeletionAsync(id, StorageProviders.ImageKit, [path],
            TimeSpan.FromSeconds(o.UploadTimeoutSeconds + o.OrphanSearchDelaySeconds)); // nothing sent if this fails
        ImageKitFile file;
        try
        {
            file = await imageKit.UploadAsync(stream, fileName, o.Folder, ct);
        }
        catch (Exception e)
        {
            // Nothing stored: the multipart body ImageKit was receiving was cut short (size limit, our client's body broke
            // off), or ImageKit refused it (4xx). Anything else — timeout, connection reset, 5xx, an unreadable answer, our
            // client leaving while ImageKit had the whole body — may have left a file whose fileId we never learnt: its
            // queued path is then searched for (and what is found deleted) after the search delay instead.
            var nothingStored = stream.LimitExceeded || stream.ReadFailed || e is UpstreamException { UpstreamStatus: < 500 };
            await SettlePathDeletionAsync(id, path, nothingStored ? null : TimeSpan.FromSeconds(o.OrphanSearchDelaySeconds));
            if (stream.LimitExceeded)
            {
                refusal = TooLarge(max);
                return null;
            }
            // Our client's body broke off (gone, or bad framing), not ImageKit: report it as such, not as a 503.
            if (stream.ReadFailed && e is UpstreamException) throw new IOException("The request body could not be read while forwarding it to ImageKit.", e);
            throw;
        }
        var url = file.Url!.TrimEnd('/');
        return new StoredVideo(StorageProviders.ImageKit, file.FileId!, file.FilePath, null, url, url + "/ik-thumbnail.jpg",
            url + StreamSuffix, container, stream.BytesRead, new VideoInfo(file.Duration, file.Width, file.Height).Sane(), [path], pendingUntil);
    }

    private static void DeleteQuietly(string path)
    {
        try { File.Delete(path); }
        catch (DirectoryNotFoundException) { } // never created
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(long max) => ProblemsExtensions.Problem(413, $"The file is larger than the {max} bytes allowed.");

    // ---------------- JSON registration of a direct ImageKit upload ----------------

    private async Task RegisterAsync(CancellationToken ct)
    {
        if (storage.Value.Provider != StorageProvider.ImageKit || TryResolve<ImageKitClient>() is not { } imageKit)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(404, "This server does not store videos in ImageKit."));
            return;
        }
        if (HttpContext.Request.ContentLength > MaxJsonBytes)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(413, "The JSON body is too large."));
            return;
        }
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxJsonBytes;

        var req = await HttpContext.Request.ReadFromJsonAsync<RegisterVideoRequest>(Json, ct);
        if (req is null) { AddError(new ValidationFailure("request", "a JSON object is required")); ThrowIfAnyErrors(); }
        if (req!.ImagekitFileId is not { } fileId || !FileIdPattern().IsMatch(fileId))
            AddError(new ValidationFailure("imagekit_file_id", "imagekit_file_id must be an ImageKit fileId"));
        var fields = VideoFields.From(req.Title, req.Description, req.Tags);
        foreach (var failure in VideoFieldsValidator.Instance.Validate(fields).Errors) AddError(failure);
        ThrowIfAnyErrors();

        var file = await imageKit.GetFileAsync(req.ImagekitFileId!, ct);
        var folder = imageKit.Options.Folder.TrimEnd('/') + "/";
        if (file is null) AddError(new ValidationFailure("imagekit_file_id", "ImageKit has no file with this id"));
        else if (file.FileType != "non-image" || file.Mime?.StartsWith("video/", StringComparison.Ordinal) != true)
            AddError(new ValidationFailure("imagekit_file_id", "the file is not a video"));
        else if (file.FilePath is not { } path || !path.StartsWith(folder, StringComparison.Ordinal) || path.Contains("/../", StringComparison.Ordinal))
            AddError(new ValidationFailure("imagekit_file_id", $"the file is not in the upload folder {imageKit.Options.Folder}"));
        else if (file.Size is not > 0 || string.IsNullOrEmpty(file.Url))
            AddError(new ValidationFailure("imagekit_file_id", "the file is empty"));
        ThrowIfAnyErrors();

        var url = file!.Url!.TrimEnd('/');
        var stored = new StoredVideo(StorageProviders.ImageKit, req.ImagekitFileId!, file.FilePath, null, url, url + "/ik-thumbnail.jpg",
            url + StreamSuffix, new VideoContainer(file.Mime!, "", false), file.Size!.Value, new VideoInfo(file.Duration, file.Width, file.Height).Sane());
        var id = Guid.NewGuid();
        VideoDto dto;
        try
        {
            // A file whose earlier video was deleted or expired is queued for deletion: registering it again would make
            // a video whose file the drainer is about to remove.
            await using (var conn = await db.OpenConnectionAsync(ct))
            {
                if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition(UploadVideoSql.IsQueuedForDeletion,
                        new { Provider = stored.Provider, Keys = new[] { stored.Key, stored.Path }.OfType<string>().ToArray() }, cancellationToken: ct)))
                {
                    await Send.ResultAsync(ProblemsExtensions.Problem(409, "This ImageKit file belongs to a deleted video and is being deleted.", "Being deleted"));
                    return;
                }
            }
            dto = await InsertAsync(id, fields, stored)
                  ?? throw new InvalidOperationException("a registration queues no deletion, so its insert cannot be refused");
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "videos_storage_key" })
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(409, "This ImageKit file is already registered as a video.", "Already registered"));
            return;
        }
        Uploaded.Add(1, new KeyValuePair<string, object?>("provider", "imagekit_direct"));
        Log.Registered(log, id, dto.Author.Id, stored.Key);
        HttpContext.Response.Headers.Location = $"/api/videos/{id}";
        await Send.ResponseAsync(dto, StatusCodes.Status201Created, ct);
    }

    // ---------------- shared ----------------

    private async Task<VideoDto?> InsertAsync(Guid id, VideoFields f, StoredVideo s)
    {
        var now = clock.GetUtcNow();
        var expiresAt = now.AddDays(cleanup.Value.RetentionDays);
        await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
        // Not cancelled by the client going away: once the file is complete the row is written (or the file discarded).
        var author = await conn.QuerySingleOrDefaultAsync<AuthorDto>(new CommandDefinition(UploadVideoSql.Insert, new
        {
            Id = id, UserId = User.UserId(), f.Title, f.Description, f.Tags, s.Provider, s.Key, s.Path, s.ThumbnailKey,
            s.VideoUrl, s.ThumbnailUrl, s.StreamUrl, s.Container.ContentType, s.SizeBytes, s.Info.DurationSeconds,
            s.Info.Width, s.Info.Height, Now = now, ExpiresAt = expiresAt, PendingPaths = s.PendingPaths ?? [], s.PendingNotBefore,
        }));
        if (author is null) return null; // a queued deletion of its files came due first (see UploadVideoSql.Insert)
        return new VideoDto
        {
            Id = id, Title = f.Title, Description = f.Description, Tags = f.Tags, VideoUrl = s.VideoUrl, ThumbnailUrl = s.ThumbnailUrl,
            StreamUrl = s.StreamUrl, ContentType = s.Container.ContentType, SizeBytes = s.SizeBytes, DurationSeconds = s.Info.DurationSeconds,
            Width = s.Info.Width, Height = s.Info.Height, ViewsCount = 0, LikesCount = 0, CommentsCount = 0, LikedByMe = false,
            CreatedAt = now, ExpiresAt = expiresAt, Author = author,
        };
    }

    /// <summary>
    /// Removes what a failed request stored. Local files go at once (queued if that fails); an ImageKit file is queued
    /// in <c>storage_deletions</c> for the drainer, or deleted directly if even the queue is unreachable.
    /// </summary>
    private async Task DiscardAsync(Guid id, StoredVideo s)
    {
        var keys = new[] { s.Key, s.ThumbnailKey }.OfType<string>().ToArray();
        try
        {
            if (s.Provider == StorageProviders.Local)
            {
                var gone = await local.DeleteAsync(keys, CancellationToken.None);
                keys = keys.Except(gone).ToArray();
                if (keys.Length == 0)
                {
                    await DropPendingAsync(s);
                    return;
                }
            }
            await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
            await conn.ExecuteAsync(new CommandDefinition(UploadVideoSql.EnqueueDeletion,
                new { s.Provider, Keys = keys, VideoId = id, Now = clock.GetUtcNow() }));
            Log.Queued(log, id, s.Provider);
        }
        catch (Exception e)
        {
            if (s.Provider == StorageProviders.ImageKit && TryResolve<ImageKitClient>() is { } imageKit)
            {
                try { await imageKit.DeleteFileAsync(s.Key, CancellationToken.None); return; }
                catch (Exception inner) { e = inner; }
            }
            Log.Orphaned(log, e, id, s.Provider, s.Provider == StorageProviders.ImageKit ? s.Key : null);
        }
    }

    /// <summary>
    /// The local files queued before the move are gone again: their by-path rows have nothing left to do. Best effort:
    /// if the database is unreachable (often why the insert failed), the rows find nothing when due and complete then.
    /// </summary>
    private async Task DropPendingAsync(StoredVideo s)
    {
        try
        {
            await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
            await conn.ExecuteAsync(new CommandDefinition(UploadVideoSql.DropPathDeletion, new { s.Provider, Paths = s.PendingPaths ?? [] }));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            Log.DropPendingFailed(log, e, s.Key);
        }
    }

    /// <summary>Queues the deletion by path of the files about to be stored, due after <paramref name="delay"/>.</summary>
    private async Task<DateTimeOffset> QueuePathDeletionAsync(Guid id, string provider, string[] paths, TimeSpan delay)
    {
        var now = clock.GetUtcNow();
        var notBefore = now + delay;
        notBefore = notBefore.AddTicks(-(notBefore.UtcTicks % 10)); // PostgreSQL's microseconds: compared for equality later
        await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
        await conn.ExecuteAsync(new CommandDefinition(UploadVideoSql.EnqueuePathDeletion, new
        {
            Provider = provider, Paths = paths, VideoId = id, Now = now, NotBefore = notBefore,
        }));
        return notBefore;
    }

    /// <summary>
    /// After a failed ImageKit upload: removes its queued path when nothing was stored (<paramref name="searchAfter"/>
    /// null), else marks it ambiguous and due after <paramref name="searchAfter"/> (ImageKit may still be finishing the
    /// file). Best effort: if the database fails here, the row simply stays due at its original, later time.
    /// </summary>
    private async Task SettlePathDeletionAsync(Guid id, string path, TimeSpan? searchAfter)
    {
        try
        {
            var now = clock.GetUtcNow();
            await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
            await conn.ExecuteAsync(new CommandDefinition(searchAfter is null ? UploadVideoSql.DropPathDeletion : UploadVideoSql.MarkPathAmbiguous,
                new { Provider = StorageProviders.ImageKit, Paths = new[] { path }, NotBefore = now + (searchAfter ?? TimeSpan.Zero) }));
            if (searchAfter is not null) Log.QueuedByPath(log, id, path);
        }
        catch (Exception e)
        {
            Log.SettleFailed(log, e, id, path);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex FileIdPattern();

    // PendingPaths: the by-path deletions queued before the file was stored, removed by the statement that inserts the row.
    private sealed record StoredVideo(string Provider, string Key, string? Path, string? ThumbnailKey, string VideoUrl,
        string? ThumbnailUrl, string? StreamUrl, VideoContainer Container, long SizeBytes, VideoInfo Info, string[]? PendingPaths = null,
        DateTimeOffset? PendingNotBefore = null);

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Video {VideoId} uploaded by {UserId} to {Provider} ({SizeBytes} bytes)")]
        public static partial void Uploaded(ILogger logger, Guid videoId, Guid userId, string provider, long sizeBytes);

        [LoggerMessage(LogLevel.Information, "Video {VideoId} registered by {UserId} from ImageKit file {FileId}")]
        public static partial void Registered(ILogger logger, Guid videoId, Guid userId, string fileId);

        [LoggerMessage(LogLevel.Information, "Upload {VideoId} failed; its stored {Provider} file is queued for deletion")]
        public static partial void Queued(ILogger logger, Guid videoId, string provider);

        [LoggerMessage(LogLevel.Warning, "Upload {VideoId} to ImageKit failed ambiguously; whatever ImageKit stored at {Path} is queued for deletion")]
        public static partial void QueuedByPath(ILogger logger, Guid videoId, string path);

        [LoggerMessage(LogLevel.Warning, "Upload {VideoId} to ImageKit failed and its queued path {Path} could not be updated; it stays queued and is searched for later")]
        public static partial void SettleFailed(ILogger logger, Exception e, Guid videoId, string path);

        [LoggerMessage(LogLevel.Warning, "Upload {VideoId} outlived the deletion queued for its files and was refused (408)")]
        public static partial void Outlived(ILogger logger, Guid videoId);

        [LoggerMessage(LogLevel.Warning, "The by-path deletions queued for the removed local file {Key} could not be dropped; they complete when due")]
        public static partial void DropPendingFailed(ILogger logger, Exception e, string key);

        [LoggerMessage(LogLevel.Error, "Upload {VideoId} failed and its {Provider} file {File} could be neither queued nor deleted: orphaned")]
        public static partial void Orphaned(ILogger logger, Exception e, Guid videoId, string provider, string? file);
    }
}
