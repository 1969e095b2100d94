using IgLive.Service.Features.Videos.Publishing;
using IgLive.Service.Features.Videos.RegisterVideo;
using IgLive.Service.Infrastructure.Api;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>
/// <c>POST /api/videos</c> in two forms, chosen by Content-Type: a multipart upload streamed to the configured store
/// (<see cref="UploadVideoHandler"/>), or the JSON registration of a file the client uploaded directly to ImageKit
/// (<see cref="RegisterVideoHandler"/>). One endpoint dispatching to both, because FastEndpoints refuses two endpoints
/// on the same verb and route ("Duplicate routes detected") and the contract documents them as one operation.
/// </summary>
public sealed class UploadVideoEndpoint(UploadVideoHandler upload, RegisterVideoHandler register) : EndpointWithoutRequest<VideoDto>
{
    /// <summary>Room for the form fields and multipart framing on top of the file itself.</summary>
    public const long FormOverheadBytes = 64 * 1024;

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

                Both forms count against one budget per user, `RateLimits:UploadsPerHour` (default 20): past it, 429 with
                `Retry-After`, before a byte of the body is read.
                """;
        });
        Description(b => b
            // One Accepts with both types: routing honours only the last accepts metadata (415 for anything else).
            .Accepts<UploadVideoForm>("multipart/form-data", "application/json")
            .WithMetadata(new OpenApiBody("application/json", typeof(RegisterVideoRequest))) // the JSON form's own shape
            .Produces<VideoDto>(201, "application/json")
            .ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(404).ProducesProblemDetails(409)
            .ProducesProblemDetails(408).ProducesProblemDetails(413).ProducesProblemDetails(415).ProducesProblemDetails(429).ProducesProblemDetails(502).ProducesProblemDetails(503));
        Options(b => b.RequireRateLimiting(UploadsRateLimit.Policy));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var mediaType = System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(HttpContext.Request.ContentType, out var mt) ? mt.MediaType : null;
        bool Is(string type) => string.Equals(mediaType, type, StringComparison.OrdinalIgnoreCase);
        var outcome = Is("multipart/form-data") ? await upload.HandleAsync(HttpContext, User.UserId(), ct)
            : Is("application/json") ? await register.HandleAsync(HttpContext, User.UserId(), ct)
            : new Refusal(415, "Send multipart/form-data (a file upload) or application/json (an ImageKit registration).");
        if (outcome.IsRefused)
        {
            await RefuseAsync(outcome.Refusal, ct);
            return;
        }
        HttpContext.Response.Headers.Location = $"/api/videos/{outcome.Value.Id}";
        await Send.ResponseAsync(outcome.Value, StatusCodes.Status201Created, ct);
    }

    private async Task RefuseAsync(Refusal refusal, CancellationToken ct)
    {
        if (refusal.Errors.Count == 0)
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(refusal.Status, refusal.Detail, refusal.Title));
            return;
        }
        foreach (var failure in refusal.Errors) AddError(failure);
        await Send.ErrorsAsync(refusal.Status, ct);
    }
}
