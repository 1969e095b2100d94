using IgLive.Service.Features.Videos.Publishing;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// The multipart form of <c>POST /api/videos</c>: read the form (<see cref="UploadFormReader"/>), stream its file to the
/// store (<see cref="UploadStorage"/>), then write the row (<see cref="VideoPublisher"/>). The row is inserted only once
/// the file is complete; whatever was stored for a request that does not end in a row is discarded.
/// </summary>
public sealed partial class UploadVideoHandler(
    UploadStorage storage, VideoPublisher publisher, IOptions<UploadOptions> upload, ILogger<UploadVideoHandler> log)
{
    public async Task<Outcome<VideoDto>> HandleAsync(HttpContext http, Guid? userId, CancellationToken ct)
    {
        var max = upload.Value.MaxBytes;
        if (http.Request.ContentLength > max + UploadVideoEndpoint.FormOverheadBytes) return UploadStorage.TooLarge(max);
        // This app's limit, not the one the endpoint was configured with: FastEndpoints keeps endpoint definitions in a
        // process-wide static, so hosts started at once in one process (the tests) can see another host's Configure.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = max + UploadVideoEndpoint.FormOverheadBytes;

        var id = Guid.NewGuid();
        StoredVideo? stored = null;
        var committed = false;
        try
        {
            var form = await UploadFormReader.ReadAsync(http.Request, async body =>
            {
                var outcome = await storage.StoreAsync(id, body, max, ct);
                stored = outcome.Value;
                return outcome.Refusal;
            }, ct);
            if (form.IsRefused) return form.Refusal;

            if (await publisher.PublishAsync(id, userId, form.Value, stored!, stored!.Provider) is not { } dto)
            {
                // The upload outlived the deletion queued for its files (Storage:IncomingMaxAgeMinutes, or ImageKit's
                // upload timeout plus search delay), which may already have removed them: refuse it; the finally
                // block removes whatever is left.
                Log.Outlived(log, id);
                return new Refusal(408, "The upload took too long to complete and was discarded; send it again.", "Upload too slow");
            }
            committed = true;
            Log.Uploaded(log, id, dto.Author.Id, stored.Provider, stored.SizeBytes);
            return dto;
        }
        catch (Exception e) when (e is InvalidDataException || e is IOException and not BadHttpRequestException
                                  && !http.RequestAborted.IsCancellationRequested)
        {
            // The multipart framing is broken (truncated body, bad boundary, oversized headers).
            return new Refusal(400, "The multipart body could not be read.");
        }
        finally
        {
            if (!committed && stored is not null) await storage.DiscardAsync(id, stored);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Video {VideoId} uploaded by {UserId} to {Provider} ({SizeBytes} bytes)")]
        public static partial void Uploaded(ILogger logger, Guid videoId, Guid userId, string provider, long sizeBytes);

        [LoggerMessage(LogLevel.Warning, "Upload {VideoId} outlived the deletion queued for its files and was refused (408)")]
        public static partial void Outlived(ILogger logger, Guid videoId);
    }
}
