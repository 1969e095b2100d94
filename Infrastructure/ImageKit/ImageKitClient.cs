using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IgLive.Service.Infrastructure.Problems;
using IgLive.Service.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace IgLive.Service.Infrastructure.ImageKit;

/// <summary>
/// Thin client of ImageKit's server APIs: streamed upload (upload host, never retried: the body is the
/// caller's request stream and cannot be replayed) and file details / search / delete / bulk delete (API host, retried on
/// 429/5xx/timeouts by the resilience pipeline, see <see cref="ImageKitExtensions"/>). Failures become
/// <see cref="UpstreamException"/>: 401/403 → 502, 429/5xx/timeout/unreachable → 503 with Retry-After.
/// </summary>
public sealed partial class ImageKitClient(IHttpClientFactory factory, IOptions<ImageKitOptions> options, ILogger<ImageKitClient> log)
{
    public const string UploadClientName = "imagekit-upload";
    public const string ApiClientName = "imagekit-api";
    /// <summary>Most ids ImageKit's bulk delete accepts in one call.</summary>
    public const int MaxBulkDelete = 100;
    private const string Upstream = "ImageKit";

    public ImageKitOptions Options => options.Value;

    /// <summary>
    /// Streams <paramref name="content"/> to ImageKit as <c>{folder}/{fileName}</c> without buffering it.
    /// The stream is read once; a failure while reading it (client gone, size limit) propagates as thrown by it.
    /// </summary>
    public async Task<ImageKitFile> UploadAsync(Stream content, string fileName, string folder, CancellationToken ct)
    {
        using var activity = IgLiveTelemetry.Source.StartActivity("imagekit.upload", ActivityKind.Client);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(fileName), "fileName");
        form.Add(new StringContent(folder), "folder");
        form.Add(new StringContent("false"), "useUniqueFileName");
        form.Add(new StringContent("false"), "overwriteFile");
        var file = new StreamContent(content, 64 * 1024);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);

        using var rsp = await SendAsync(UploadClientName, new HttpRequestMessage(HttpMethod.Post, "api/v1/files/upload") { Content = form }, "upload", ct);
        if (!rsp.IsSuccessStatusCode) throw await FailureAsync(rsp, "upload", ct);
        var uploaded = await ReadBodyAsync<ImageKitFile>(rsp, "upload", ct);
        if (uploaded?.FileId is not { Length: > 0 } || uploaded.Url is not { Length: > 0 })
            throw UpstreamException.BadGateway(Upstream, "ImageKit upload answered without fileId or url.");
        activity?.SetTag("imagekit.file_id", uploaded.FileId);
        return uploaded;
    }

    /// <summary>The path ImageKit gives a file uploaded as <paramref name="fileName"/> into <paramref name="folder"/> (no unique suffix).</summary>
    public static string FilePath(string folder, string fileName) => folder.TrimEnd('/') + "/" + fileName;

    /// <summary>
    /// The files stored at exactly <paramref name="filePath"/>, through the list and search files API
    /// (<c>GET /v1/files?path={folder}/&amp;searchQuery=name = "{name}"</c>): how a file whose upload failed ambiguously,
    /// and whose fileId we therefore never learnt, is found. Empty when there is none (also when the folder is unknown).
    /// </summary>
    public async Task<IReadOnlyList<ImageKitFile>> FindByPathAsync(string filePath, CancellationToken ct)
    {
        var slash = filePath.LastIndexOf('/');
        var folder = filePath[..(slash + 1)];
        var name = filePath[(slash + 1)..];
        if (slash < 0 || name.Length == 0 || name.Contains('"') || name.Contains('\\'))
            throw new ArgumentException($"not a searchable file path: {filePath}", nameof(filePath));
        using var activity = IgLiveTelemetry.Source.StartActivity("imagekit.search", ActivityKind.Client);
        activity?.SetTag("imagekit.file_path", filePath);
        var query = $"v1/files?path={Uri.EscapeDataString(folder)}&searchQuery={Uri.EscapeDataString($"name = \"{name}\"")}&type=file&limit=100";
        using var rsp = await SendAsync(ApiClientName, new HttpRequestMessage(HttpMethod.Get, query), "search", ct);
        if (rsp.StatusCode == HttpStatusCode.NotFound) return [];
        if (!rsp.IsSuccessStatusCode) throw await FailureAsync(rsp, "search", ct);
        var files = await ReadBodyAsync<ImageKitFile[]>(rsp, "search", ct) ?? [];
        // The search matches names; only a file at exactly this path is the one we uploaded (folders have no fileId).
        return files.Where(f => f.FileId is { Length: > 0 } && string.Equals(f.FilePath, filePath, StringComparison.Ordinal)).ToArray();
    }

    /// <summary>The file's current details, or null when ImageKit does not know the id.</summary>
    public async Task<ImageKitFile?> GetFileAsync(string fileId, CancellationToken ct)
    {
        using var activity = IgLiveTelemetry.Source.StartActivity("imagekit.details", ActivityKind.Client);
        activity?.SetTag("imagekit.file_id", fileId);
        using var rsp = await SendAsync(ApiClientName, new HttpRequestMessage(HttpMethod.Get, $"v1/files/{Uri.EscapeDataString(fileId)}/details"), "details", ct);
        if (rsp.StatusCode == HttpStatusCode.NotFound) return null;
        if (!rsp.IsSuccessStatusCode) throw await FailureAsync(rsp, "details", ct);
        return await ReadBodyAsync<ImageKitFile>(rsp, "details", ct);
    }

    /// <summary>Deletes one file with all its versions; false when it was already gone (404).</summary>
    public async Task<bool> DeleteFileAsync(string fileId, CancellationToken ct)
    {
        using var activity = IgLiveTelemetry.Source.StartActivity("imagekit.delete", ActivityKind.Client);
        activity?.SetTag("imagekit.file_id", fileId);
        using var rsp = await SendAsync(ApiClientName, new HttpRequestMessage(HttpMethod.Delete, $"v1/files/{Uri.EscapeDataString(fileId)}"), "delete", ct);
        if (rsp.StatusCode == HttpStatusCode.NotFound) return false;
        if (!rsp.IsSuccessStatusCode) throw await FailureAsync(rsp, "delete", ct);
        return true;
    }

    /// <summary>
    /// Deletes up to <see cref="MaxBulkDelete"/> files and returns the ids that are now gone. ImageKit fails the whole
    /// call with 404 + <c>missingFileIds</c> when any id is unknown: those count as gone and the rest is sent again.
    /// </summary>
    public async Task<IReadOnlyCollection<string>> BulkDeleteAsync(IReadOnlyCollection<string> fileIds, CancellationToken ct)
    {
        if (fileIds.Count > MaxBulkDelete) throw new ArgumentException($"at most {MaxBulkDelete} ids per call", nameof(fileIds));
        using var activity = IgLiveTelemetry.Source.StartActivity("imagekit.delete", ActivityKind.Client);
        activity?.SetTag("imagekit.file_ids", fileIds.ToArray());
        var gone = new HashSet<string>(StringComparer.Ordinal);
        var pending = fileIds.Distinct(StringComparer.Ordinal).ToList();
        while (pending.Count > 0)
        {
            using var rsp = await SendAsync(ApiClientName, new HttpRequestMessage(HttpMethod.Post, "v1/files/batch/deleteByFileIds")
            {
                Content = JsonContent.Create(new ImageKitBulkDeleteRequest(pending)),
            }, "bulk delete", ct);
            if (rsp.IsSuccessStatusCode)
            {
                var ok = await ReadBodyAsync<ImageKitBulkDeleteResponse>(rsp, "bulk delete", ct);
                // A 200 means the batch went through; ids it does not list were not there to delete.
                gone.UnionWith(ok?.SuccessfullyDeletedFileIds ?? []);
                gone.UnionWith(pending);
                break;
            }
            if (rsp.StatusCode != HttpStatusCode.NotFound) throw await FailureAsync(rsp, "bulk delete", ct);

            var missing = (await ReadErrorAsync(rsp, ct))?.MissingFileIds ?? [];
            var stillPending = pending.Except(missing, StringComparer.Ordinal).ToList();
            if (missing.Length == 0 || stillPending.Count == pending.Count)
            {
                // A 404 that names no known id: fall back to one call per id, where 404 plainly means gone.
                foreach (var id in pending)
                {
                    await DeleteFileAsync(id, ct);
                    gone.Add(id);
                }
                break;
            }
            gone.UnionWith(pending.Intersect(missing, StringComparer.Ordinal));
            pending = stillPending;
        }
        return gone;
    }

    /// <summary>
    /// Reads a success body. Headers came back within the resilience timeout, but the body is read afterwards: a
    /// reset, a stall or a body that is not the documented JSON is ImageKit's failure (502), never the caller's.
    /// </summary>
    private static async Task<T?> ReadBodyAsync<T>(HttpResponseMessage rsp, string operation, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(BodyReadTimeout);
        try { return await rsp.Content.ReadFromJsonAsync<T>(timeout.Token); }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException or NotSupportedException
                                   || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw UpstreamException.BadGateway(Upstream, $"ImageKit {operation} answered an unreadable body.", e);
        }
    }

    private static readonly TimeSpan BodyReadTimeout = TimeSpan.FromSeconds(30);

    private async Task<HttpResponseMessage> SendAsync(string clientName, HttpRequestMessage request, string operation, CancellationToken ct)
    {
        var http = factory.CreateClient(clientName);
        try
        {
            using (request)
                return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (TimeoutRejectedException e)
        {
            Log.Failed(log, operation, "timeout");
            throw UpstreamException.Unavailable(Upstream, $"ImageKit {operation} timed out.", inner: e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            Log.Failed(log, operation, "timeout");
            throw UpstreamException.Unavailable(Upstream, $"ImageKit {operation} timed out.", inner: e);
        }
        catch (HttpRequestException e) when (!ct.IsCancellationRequested)
        {
            // Connection-level failure (refused, reset, DNS), or the upload body could not be read: the caller, who
            // owns that stream, knows whether it was its side (client gone, size limit) and reports that instead.
            Log.Failed(log, operation, e.HttpRequestError.ToString());
            throw UpstreamException.Unavailable(Upstream, $"ImageKit {operation} failed: {e.HttpRequestError}.", inner: e);
        }
    }

    private async Task<UpstreamException> FailureAsync(HttpResponseMessage rsp, string operation, CancellationToken ct)
    {
        var status = (int)rsp.StatusCode;
        var e = await FailureAsync(rsp, status, operation, ct);
        e.UpstreamStatus = status;
        return e;
    }

    private async Task<UpstreamException> FailureAsync(HttpResponseMessage rsp, int status, string operation, CancellationToken ct)
    {
        var error = await ReadErrorAsync(rsp, ct);
        switch (status)
        {
            case 401 or 403:
                // Our keys are wrong, expired or the account is blocked/over quota: nothing works until someone acts.
                Log.Refused(log, operation, status, error?.Message);
                return UpstreamException.BadGateway(Upstream, $"ImageKit refused {operation} with {status}.");
            case 429 or 408 or >= 500:
                Log.Failed(log, operation, status.ToString(CultureInfo.InvariantCulture));
                return UpstreamException.Unavailable(Upstream, $"ImageKit {operation} answered {status}.", RetryDelay(rsp));
            default:
                Log.Unexpected(log, operation, status, error?.Message);
                return UpstreamException.BadGateway(Upstream, $"ImageKit {operation} answered {status}.");
        }
    }

    private static async Task<ImageKitError?> ReadErrorAsync(HttpResponseMessage rsp, CancellationToken ct)
    {
        try { return await rsp.Content.ReadFromJsonAsync<ImageKitError>(ct); }
        catch (JsonException) { return null; }
        catch (NotSupportedException) { return null; } // not JSON at all
    }

    /// <summary>
    /// How long ImageKit asks us to wait: <c>X-RateLimit-Reset</c> (milliseconds) on rate limits, else a standard
    /// <c>Retry-After</c>. Null when it says nothing.
    /// </summary>
    public static TimeSpan? RetryDelay(HttpResponseMessage rsp)
    {
        if (rsp.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
            return TimeSpan.FromMilliseconds(Math.Min(ms, 3_600_000));
        return RetryAfterHeader.Read(rsp.Headers);
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Error, "ImageKit refused {Operation} with {Status} ({Message}): check ImageKit__PrivateKey and the account")]
        public static partial void Refused(ILogger logger, string operation, int status, string? message);

        [LoggerMessage(LogLevel.Warning, "ImageKit {Operation} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string operation, string reason);

        [LoggerMessage(LogLevel.Error, "ImageKit {Operation} answered an unexpected {Status} ({Message})")]
        public static partial void Unexpected(ILogger logger, string operation, int status, string? message);
    }
}
