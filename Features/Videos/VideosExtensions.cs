using IgLive.Service.Features.Videos.Publishing;
using IgLive.Service.Features.Videos.RegisterVideo;
using IgLive.Service.Features.Videos.UploadVideo;

namespace IgLive.Service.Features.Videos;

public static class VideosExtensions
{
    /// <summary>The steps of <c>POST /api/videos</c> (upload and registration); all stateless, so singletons.</summary>
    public static WebApplicationBuilder AddIgLiveVideos(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddSingleton<VideoPublisher>();
        s.AddSingleton<LocalUploadStore>();
        s.AddSingleton<ImageKitUploadStore>();
        s.AddSingleton<UploadStorage>();
        s.AddSingleton<UploadVideoHandler>();
        s.AddSingleton<RegisterVideoHandler>();
        return builder;
    }
}
