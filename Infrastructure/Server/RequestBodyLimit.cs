using Microsoft.AspNetCore.Http.Features;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;

namespace IgLive.Service.Infrastructure.Server;

/// <summary>
/// Every request body that is not a multipart upload (JSON, forms) is capped at <see cref="MaxBytes"/>: a declared
/// larger length is refused at once with 413, a chunked one when it crosses the cap (Kestrel's limit, mapped to 413 by
/// the exception handler). Multipart uploads keep their own endpoint limit (<c>Upload:MaxBytes</c>).
/// </summary>
public static class RequestBodyLimit
{
    public const int MaxBytes = 64 * 1024;

    public static IApplicationBuilder UseIgLiveRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        var type = ctx.Request.ContentType;
        if (type is null || !type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            if (ctx.Request.ContentLength > MaxBytes)
            {
                ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await ctx.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx,
                    ProblemDetails = new ProblemDetails { Status = 413, Detail = $"Request bodies other than uploads are limited to {MaxBytes} bytes." },
                });
                return;
            }
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit && (limit.MaxRequestBodySize ?? long.MaxValue) > MaxBytes)
                limit.MaxRequestBodySize = MaxBytes;
        }
        await next(ctx);
    });
}
