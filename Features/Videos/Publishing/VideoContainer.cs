namespace IgLive.Service.Features.Videos.Publishing;

/// <summary>A container the service accepts: the stored content type and file extension.</summary>
public sealed record VideoContainer(string ContentType, string Extension, bool IsIsoBmff);
