using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace IgLive.Service.Tests.Fakes;

/// <summary>
/// A WireMock.Net server speaking the parts of ImageKit's documented API the service uses, over real HTTP:
/// <c>POST /api/v1/files/upload</c> (multipart), <c>GET /v1/files/{id}/details</c>, <c>DELETE /v1/files/{id}</c>
/// (204 / 404), <c>POST /v1/files/batch/deleteByFileIds</c> (200, or 404 with <c>missingFileIds</c> and nothing
/// deleted) and <c>GET /v1/files?path=&amp;searchQuery=name = "…"</c> (list and search: a JSON array of file details).
/// It keeps the files it holds in <see cref="Files"/>; <see cref="Fault"/> makes every call fail a given way.
/// </summary>
public sealed partial class ImageKitFake : IDisposable
{
    public const string PrivateKey = "private_test_key";
    public const string PublicKey = "public_test_key";
    public const string UrlEndpoint = "https://ik.example.test/iglive-test";
    private readonly WireMockServer server = WireMockServer.Start();
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Files ImageKit holds, by fileId.</summary>
    public ConcurrentDictionary<string, FakeFile> Files { get; } = new();

    /// <summary>When set, every request gets this answer instead of the normal one.</summary>
    public FakeFault? Fault { get; set; }

    /// <summary>When set, only the next <c>FaultCount</c> requests get <see cref="Fault"/>.</summary>
    public int? FaultCount { get; set; }

    /// <summary>When set, decides per request (after <see cref="Fault"/>) whether to answer with a fault instead.</summary>
    public Func<IRequestMessage, FakeFault?>? FaultWhen { get; set; }

    /// <summary>WireMock's log of every request with its response (bodies and statuses), for assertions.</summary>
    public IReadOnlyList<WireMock.Logging.ILogEntry> LogEntries => server.LogEntries.ToList();

    /// <summary>Every request received, in order: "METHOD path".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public string Url => server.Url!;

    /// <summary>Settings pointing the service at this fake.</summary>
    public Dictionary<string, string?> Settings(string folder = "/iglive-test") => new()
    {
        ["ImageKit:PublicKey"] = PublicKey,
        ["ImageKit:PrivateKey"] = PrivateKey,
        ["ImageKit:UrlEndpoint"] = UrlEndpoint,
        ["ImageKit:Folder"] = folder,
        ["ImageKit:UploadBaseUrl"] = Url,
        ["ImageKit:ApiBaseUrl"] = Url,
    };

    public ImageKitFake()
    {
        server.Given(Request.Create().WithPath("/api/v1/files/upload").UsingPost())
            .RespondWith(Response.Create().WithCallback(req => Handle(req, Upload)));
        server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/v1/files/[^/]+/details$")).UsingGet())
            .RespondWith(Response.Create().WithCallback(req => Handle(req, Details)));
        server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/v1/files/[^/]+$")).UsingDelete())
            .RespondWith(Response.Create().WithCallback(req => Handle(req, Delete)));
        server.Given(Request.Create().WithPath("/v1/files/batch/deleteByFileIds").UsingPost())
            .RespondWith(Response.Create().WithCallback(req => Handle(req, BulkDelete)));
        server.Given(Request.Create().WithPath("/v1/files").UsingGet())
            .RespondWith(Response.Create().WithCallback(req => Handle(req, List)));
    }

    /// <summary>Adds a file as if a client had uploaded it directly.</summary>
    /// <summary>
    /// What a client does with the parameters of <c>GET /api/auth/imagekit</c>: the file lands at the issued folder and
    /// name (the V2 token allows no other).
    /// </summary>
    public async Task<FakeFile> UploadDirectAsync(IgLive.Service.Tests.Infrastructure.TestUser user, string mime = "video/mp4", long size = 12345)
    {
        using var rsp = await user.Client.GetAsync("/api/auth/imagekit");
        rsp.EnsureSuccessStatusCode();
        using var auth = JsonDocument.Parse(await rsp.Content.ReadAsStringAsync());
        var root = auth.RootElement;
        return AddFile($"{root.GetProperty("folder").GetString()}/{root.GetProperty("file_name").GetString()}", mime, "non-image", size);
    }

    public FakeFile AddFile(string filePath, string mime = "video/mp4", string fileType = "non-image", long size = 12345)
    {
        var id = Guid.NewGuid().ToString("N")[..24];
        var file = new FakeFile(id, Path.GetFileName(filePath), filePath, UrlEndpoint + filePath, fileType, mime, size, []);
        Files[id] = file;
        return file;
    }

    private async Task<IResponseMessage> Handle(IRequestMessage req, Func<IRequestMessage, ResponseMessage> normal)
    {
        Requests.Enqueue($"{req.Method} {req.Path}");
        if (!IsAuthorized(req)) return Json(401, new { message = "Your request does not contain private API key.", help = "" });
        FakeFault? fault = null;
        if (Fault is { } always && (FaultCount is null || FaultCount > 0))
        {
            if (FaultCount is { } n) FaultCount = n - 1;
            fault = always;
        }
        fault ??= FaultWhen?.Invoke(req);
        if (fault is null) return normal(req);
        if (fault.AfterHandling) normal(req); // ImageKit did the work (an upload is stored), then the answer goes wrong
        if (fault.Hang)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(30), stopping.Token); } catch (OperationCanceledException) { }
        }
        var rsp = Json(fault.Status, new { message = "fault injected by the test", help = "" });
        foreach (var (k, v) in fault.Headers) rsp.AddHeader(k, v);
        return rsp;
    }

    private static bool IsAuthorized(IRequestMessage req)
    {
        if (req.Headers is null || !req.Headers.TryGetValue("Authorization", out var values)) return false;
        return AuthenticationHeaderValue.TryParse(values.FirstOrDefault(), out var auth) && auth.Scheme == "Basic"
            && Encoding.UTF8.GetString(Convert.FromBase64String(auth.Parameter ?? "")) == PrivateKey + ":";
    }

    private ResponseMessage Upload(IRequestMessage req)
    {
        var contentType = req.Headers!["Content-Type"].First();
        var boundary = HeaderUtilities.RemoveQuotes(Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType).Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(req.BodyAsBytes ?? []));
        var fields = new Dictionary<string, string>();
        byte[]? content = null;
        while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
        {
            var disposition = Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value!;
            using var ms = new MemoryStream();
            section.Body.CopyTo(ms);
            if (name == "file") content = ms.ToArray();
            else fields[name] = Encoding.UTF8.GetString(ms.ToArray());
        }
        if (content is null || !fields.TryGetValue("fileName", out var fileName))
            return Json(400, new { message = "Missing file or fileName parameter for upload", help = "" });
        var folder = fields.GetValueOrDefault("folder", "/").TrimEnd('/');
        var id = Guid.NewGuid().ToString("N")[..24];
        var path = $"{folder}/{fileName}";
        var file = new FakeFile(id, fileName, path, UrlEndpoint + path, "non-image", "video/mp4", content.Length, content);
        Files[id] = file;
        return Json(200, new
        {
            fileId = id, name = fileName, url = file.Url, filePath = path, fileType = "non-image", size = content.Length,
            height = 240, width = 320, duration = 1.5, bitRate = 100, videoCodec = "h264", audioCodec = "aac",
            versionInfo = new { id, name = "Version 1" },
        });
    }

    private ResponseMessage Details(IRequestMessage req)
    {
        var id = req.PathSegments[2];
        if (!Files.TryGetValue(id, out var f)) return Json(404, new { message = "The requested file does not exist.", help = "" });
        return Json(200, new
        {
            fileId = f.FileId, name = f.Name, filePath = f.FilePath, url = f.Url, thumbnail = f.Url + "/ik-thumbnail.jpg",
            fileType = f.FileType, mime = f.Mime, size = f.Size, height = 240, width = 320, duration = 2.0,
            type = "file", createdAt = "2026-11-25T10:00:00.000Z", updatedAt = "2026-11-25T10:00:00.000Z",
        });
    }

    /// <summary>
    /// List and search: the files in the <c>path</c> folder (not its subfolders) whose name is the one in a
    /// <c>searchQuery</c> of the form <c>name = "…"</c>, the only query the service sends.
    /// </summary>
    private ResponseMessage List(IRequestMessage req)
    {
        var query = QueryHelpers.ParseQuery(req.RawQuery);
        var folder = query.TryGetValue("path", out var p) ? p.ToString().TrimEnd('/') : "";
        var search = query.TryGetValue("searchQuery", out var q) ? q.ToString() : "";
        var name = NameQuery().Match(search);
        if (search.Length > 0 && !name.Success) return Json(400, new { message = "Your searchQuery is invalid.", help = "" });
        var files = Files.Values
            .Where(f => f.FilePath[..f.FilePath.LastIndexOf('/')] == folder && (!name.Success || f.Name == name.Groups[1].Value))
            .Select(f => new
            {
                fileId = f.FileId, name = f.Name, filePath = f.FilePath, url = f.Url, fileType = f.FileType, mime = f.Mime,
                size = f.Size, type = "file", createdAt = "2026-11-25T10:00:00.000Z", updatedAt = "2026-11-25T10:00:00.000Z",
            }).ToArray();
        return Json(200, files);
    }

    [GeneratedRegex("""^\s*name\s*=\s*"([^"]*)"\s*$""")]
    private static partial Regex NameQuery();

    private ResponseMessage Delete(IRequestMessage req)
    {
        var id = req.PathSegments[2];
        return Files.TryRemove(id, out _)
            ? new ResponseMessage { StatusCode = 204 }
            : Json(404, new { message = "The requested file does not exist.", help = "" });
    }

    private ResponseMessage BulkDelete(IRequestMessage req)
    {
        var ids = JsonDocument.Parse(req.Body ?? "{}").RootElement.GetProperty("fileIds").EnumerateArray().Select(e => e.GetString()!).ToArray();
        if (ids.Length is 0 or > 100) return Json(400, new { message = "fileIds must hold 1 to 100 ids", help = "" });
        var missing = ids.Where(id => !Files.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
            return Json(404, new { message = "The requested file(s) does not exist.", help = "For support kindly contact us at support@imagekit.io .", missingFileIds = missing });
        foreach (var id in ids) Files.TryRemove(id, out _);
        return Json(200, new { successfullyDeletedFileIds = ids });
    }

    private static ResponseMessage Json(int status, object body)
    {
        var rsp = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
        rsp.AddHeader("Content-Type", "application/json; charset=utf-8");
        rsp.AddHeader("X-RateLimit-Limit", "100");
        rsp.AddHeader("X-RateLimit-Interval", "1000");
        return rsp;
    }

    public void Dispose()
    {
        stopping.Cancel();
        server.Stop();
        server.Dispose();
        stopping.Dispose();
    }
}

public sealed record FakeFile(string FileId, string Name, string FilePath, string Url, string FileType, string Mime, long Size, byte[] Content);

/// <summary>
/// An injected failure: a status with headers, or a hang (no answer for 30 s) when <see cref="Hang"/>. With
/// <see cref="AfterHandling"/> the request is first handled normally (an upload is stored) and only the answer fails:
/// the ambiguous outcome of a timeout or 5xx after ImageKit received the whole file.
/// </summary>
public sealed record FakeFault(int Status, Dictionary<string, string> Headers, bool Hang = false, bool AfterHandling = false)
{
    public static FakeFault Of(int status, params (string Name, string Value)[] headers)
        => new(status, headers.ToDictionary(h => h.Name, h => h.Value));
    public static FakeFault Hanging() => new(504, [], Hang: true);
}
