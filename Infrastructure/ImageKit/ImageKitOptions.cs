using IgLive.Service.Infrastructure.Configuration;
using IgLive.Service.Infrastructure.Storage;

namespace IgLive.Service.Infrastructure.ImageKit;

/// <summary>Section <c>ImageKit</c>.</summary>
public sealed class ImageKitOptions : ISectionOptions
{
    public string Section => "ImageKit";
    public string? PublicKey { get; set; }
    public string? PrivateKey { get; set; }
    public string? UrlEndpoint { get; set; }
    public string Folder { get; set; } = "/iglive";
    public string UploadBaseUrl { get; set; } = "https://upload.imagekit.io";
    public string ApiBaseUrl { get; set; } = "https://api.imagekit.io";
    /// <summary>Per-attempt timeout of the management API calls (details, delete), in seconds.</summary>
    public double ApiTimeoutSeconds { get; set; } = 10;
    /// <summary>Retries of the idempotent management API calls on 429/5xx/timeouts.</summary>
    public int ApiRetries { get; set; } = 3;
    /// <summary>Total timeout of one streamed upload, in seconds (a large video on a slow link takes long).</summary>
    public double UploadTimeoutSeconds { get; set; } = 3600;
    /// <summary>
    /// After an upload failed ambiguously (timeout, reset, 5xx, unreadable answer) the file may exist without our knowing
    /// its fileId; its path is queued for deletion and first searched for this many seconds later, so that an upload
    /// ImageKit was still finishing (and indexing) is found.
    /// </summary>
    public int OrphanSearchDelaySeconds { get; set; } = 300;

    /// <summary>Whether the server-side keys are present (the ImageKit store can be used).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(PrivateKey) && !string.IsNullOrWhiteSpace(PublicKey);

    /// <summary>Checked only when ImageKit stores the videos (<c>Storage:Provider</c>).</summary>
    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (!StorageOptions.UsesImageKit(config)) yield break;
        if (string.IsNullOrWhiteSpace(PublicKey)) yield return "ImageKit__PublicKey is required when Storage__Provider=ImageKit.";
        if (string.IsNullOrWhiteSpace(PrivateKey)) yield return "ImageKit__PrivateKey is required when Storage__Provider=ImageKit.";
        if (!Uri.TryCreate(UrlEndpoint, UriKind.Absolute, out _)) yield return "ImageKit__UrlEndpoint is required (an absolute URL) when Storage__Provider=ImageKit.";
        if (!Uri.TryCreate(UploadBaseUrl, UriKind.Absolute, out _)) yield return "ImageKit__UploadBaseUrl must be an absolute URL.";
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out _)) yield return "ImageKit__ApiBaseUrl must be an absolute URL.";
        if (!Folder.StartsWith('/')) yield return "ImageKit__Folder must start with '/'.";
        if (ApiTimeoutSeconds is <= 0 or > 300) yield return "ImageKit__ApiTimeoutSeconds must be between 0 and 300.";
        if (ApiRetries is < 0 or > 10) yield return "ImageKit__ApiRetries must be between 0 and 10.";
        if (UploadTimeoutSeconds <= 0) yield return "ImageKit__UploadTimeoutSeconds must be positive.";
        if (OrphanSearchDelaySeconds is < 0 or > 86_400) yield return "ImageKit__OrphanSearchDelaySeconds must be between 0 and 86400.";
    }
}
