namespace IgLive.Service.Features.LocalAuth.GoTrue;

/// <summary>The per-address limiter's 429 on a GoTrue route, as GoTrue sends it: <c>over_request_rate_limit</c>.</summary>
public sealed class GoTrueRateLimitRejection : IRateLimitRejectionWriter
{
    public const string Message = "Request rate limit reached";

    public async ValueTask WriteAsync(HttpContext http, TimeSpan retryAfter)
    {
        http.Response.Headers.RetryAfter = AuthRateLimiting.RetryAfterSeconds(retryAfter);
        await GoTrueErrors.WriteAsync(http, StatusCodes.Status429TooManyRequests, "over_request_rate_limit", Message, http.RequestAborted);
    }
}
