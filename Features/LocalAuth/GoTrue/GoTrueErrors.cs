using System.Globalization;

namespace IgLive.Service.Features.LocalAuth.GoTrue;

/// <summary>
/// GoTrue's error bodies (its <c>internal/api/errors.go</c>), not problem+json: supabase-js reads these. A client that sends
/// <c>X-Supabase-Api-Version: 2024-01-01</c> (or later; supabase-js always does) gets <c>{code: "error_code", message}</c>
/// and the header echoed; any other gets the legacy <c>{code: 400, error_code, msg}</c>. Both carry <c>x-sb-error-code</c>,
/// except a weak password in the 2024-01-01 form, which GoTrue sends without it.
/// </summary>
public static class GoTrueErrors
{
    public const string ApiVersionHeader = "X-Supabase-Api-Version";
    public const string ErrorCodeHeader = "x-sb-error-code";
    private static readonly DateOnly ApiVersion20240101 = new(2024, 1, 1);

    /// <summary>Whether the request asks for the 2024-01-01 error shape (an unparsable version counts as none).</summary>
    public static bool WantsApiVersion20240101(HttpRequest request)
        => DateOnly.TryParseExact(request.Headers[ApiVersionHeader].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var v)
           && v >= ApiVersion20240101;

    public static Task WriteAsync(HttpContext http, int status, string errorCode, string message, CancellationToken ct)
        => WriteAsync(http, status, errorCode, message, weakPasswordReasons: null, ct);

    public static async Task WriteAsync(HttpContext http, int status, string errorCode, string message, string[]? weakPasswordReasons, CancellationToken ct)
    {
        var response = http.Response;
        response.StatusCode = status;
        object body;
        if (WantsApiVersion20240101(http.Request))
        {
            response.Headers[ApiVersionHeader] = "2024-01-01";
            if (weakPasswordReasons is null) response.Headers[ErrorCodeHeader] = errorCode;
            body = weakPasswordReasons is null
                ? new { code = errorCode, message }
                : new { code = errorCode, message, weak_password = new { reasons = weakPasswordReasons } };
        }
        else
        {
            response.Headers[ErrorCodeHeader] = errorCode;
            body = weakPasswordReasons is null
                ? new { code = status, error_code = errorCode, msg = message }
                : new { code = status, error_code = errorCode, msg = message, weak_password = new { reasons = weakPasswordReasons } };
        }
        await response.WriteAsJsonAsync(body, ct);
    }

    /// <summary>The OAuth-shaped error a few GoTrue paths still send (e.g. a refresh grant without a token).</summary>
    public static async Task WriteOAuthAsync(HttpContext http, string error, string description, CancellationToken ct)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.Response.WriteAsJsonAsync(new { error, error_description = description }, ct);
    }

    /// <summary>The API gateway's 401 in front of GoTrue (Kong's shape: <c>{message, hint}</c>).</summary>
    public static async Task WriteApiKeyRefusalAsync(HttpContext http, bool missing, CancellationToken ct)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await http.Response.WriteAsJsonAsync(missing
            ? new { message = "No API key found in request", hint = "No `apikey` request header or url param was found." }
            : new { message = "Invalid API key", hint = "Double check your Supabase `anon` or `service_role` API key." }, ct);
    }
}
