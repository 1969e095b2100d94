using IgLive.Service.Infrastructure.ImageKit;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Infrastructure.Server;

/// <summary>
/// Headers on every response: no MIME sniffing (a stored file is never run as HTML or script), no referrer, no
/// framing, HSTS when the request came over https (directly or from a known proxy), and a Content-Security-Policy for
/// the web client that allows only this origin plus ImageKit's delivery and upload hosts. <c>/docs</c> (Scalar, which
/// needs inline script) gets only <c>frame-ancestors 'none'</c>.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseIgLiveSecurityHeaders(this IApplicationBuilder app)
    {
        var policy = WebClientPolicy(app.ApplicationServices.GetRequiredService<IOptions<ImageKitOptions>>().Value);
        return app.Use((ctx, next) =>
        {
            // OnStarting: the exception handler clears headers set earlier, and a problem written late still gets them.
            ctx.Response.OnStarting(() =>
            {
                var headers = ctx.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = ctx.Request.Path.StartsWithSegments("/docs") ? "frame-ancestors 'none'" : policy;
                if (ctx.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
                return Task.CompletedTask;
            });
            return next(ctx);
        });
    }

    internal static string WebClientPolicy(ImageKitOptions imageKit)
    {
        static string Origin(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps
            ? " " + u.GetLeftPart(UriPartial.Authority) : "";
        var delivery = Origin(imageKit.UrlEndpoint);
        var upload = imageKit.IsConfigured ? Origin(imageKit.UploadBaseUrl) : "";
        return "default-src 'self'; script-src 'self'; style-src 'self'; "
               + $"img-src 'self' data: blob:{delivery}; media-src 'self' blob:{delivery}; connect-src 'self'{delivery}{upload}; "
               + "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
