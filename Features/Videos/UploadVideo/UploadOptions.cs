using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.Videos.UploadVideo;

/// <summary>Section <c>Upload</c>.</summary>
public sealed class UploadOptions : ISectionOptions
{
    public string Section => "Upload";
    public long MaxBytes { get; set; } = 104_857_600;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (MaxBytes <= 0) yield return "Upload__MaxBytes must be a positive number of bytes.";
    }
}
