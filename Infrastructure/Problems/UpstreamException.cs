namespace IgLive.Service.Infrastructure.Problems;

/// <summary>
/// An upstream (ImageKit, Supabase Auth, PostgreSQL) failed in a way the client cannot fix. The exception
/// handler answers 502 (the upstream refused us: bad credentials, unexpected answer) or 503 (it is down,
/// slow or rate limiting: retry after <see cref="RetryAfter"/>). The message is logged, never sent.
/// </summary>
public class UpstreamException(string upstream, int statusCode, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string Upstream { get; } = upstream;
    /// <summary>502 or 503.</summary>
    public int StatusCode { get; } = statusCode;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    /// <summary>
    /// The HTTP status the upstream answered, when it answered one (null: timeout, connection failure, unreadable
    /// answer). Lets a caller tell "refused, did nothing" (4xx) from "may or may not have done it".
    /// </summary>
    public int? UpstreamStatus { get; internal set; }

    public static UpstreamException Unavailable(string upstream, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        => new(upstream, StatusCodes.Status503ServiceUnavailable, message, retryAfter ?? TimeSpan.FromSeconds(5), inner);

    public static UpstreamException BadGateway(string upstream, string message, Exception? inner = null)
        => new(upstream, StatusCodes.Status502BadGateway, message, null, inner);
}
