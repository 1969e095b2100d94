using System.Diagnostics;
using System.Text.Json;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Npgsql;

namespace IgLive.Service.Infrastructure.Problems;

/// <summary>
/// One shape for every error: RFC 9457 problem+json with <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>,
/// <c>instance</c>, <c>trace_id</c> and, for validation, <c>errors</c> keyed by snake_case field.
/// </summary>
public static class ProblemsExtensions
{
    public const string ContentType = "application/problem+json";

    public static WebApplicationBuilder AddIgLiveProblems(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx => Normalize(ctx.ProblemDetails, ctx.HttpContext));
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        return builder;
    }

    /// <summary>Exception handler, problem bodies for bare status codes (404 route, 405, 401/403 from FastEndpoints).</summary>
    public static WebApplication UseIgLiveProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Shapes FastEndpoints' validation failures into the contract's problem (installed as its ResponseBuilder).</summary>
    public static object ValidationProblem(List<ValidationFailure> failures, HttpContext ctx, int statusCode)
    {
        var problem = new ProblemDetails
        {
            Status = statusCode,
            Title = statusCode == 400 ? "Invalid request" : ReasonPhrase(statusCode),
            Detail = failures.Count == 1 ? failures[0].ErrorMessage : "One or more fields are invalid.",
        };
        problem.Extensions["errors"] = failures
            .GroupBy(f => FieldName(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        Normalize(problem, ctx);
        return problem;
    }

    /// <summary>A problem result for explicit refusals in endpoints (403, 404, 409…); written as problem+json.</summary>
    public static ProblemHttpResult Problem(int status, string detail, string? title = null)
        => TypedResults.Problem(detail: detail, statusCode: status, title: title ?? ReasonPhrase(status));

    /// <summary>snake_case field name as the contract wants it; FastEndpoints' general errors become <c>request</c>.</summary>
    public static string FieldName(string propertyName)
    {
        if (string.IsNullOrEmpty(propertyName) || propertyName == "GeneralErrors" || propertyName == "generalErrors") return "request";
        return string.Join('.', propertyName.Split('.').Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p)));
    }

    internal static void Normalize(ProblemDetails problem, HttpContext ctx)
    {
        var status = problem.Status ?? ctx.Response.StatusCode;
        problem.Status = status;
        problem.Type ??= TypeFor(status);
        problem.Title ??= ReasonPhrase(status);
        problem.Detail ??= DefaultDetail(status, ctx) ?? problem.Title;
        problem.Instance ??= ctx.Request.Path.Value;
        problem.Extensions.Remove("traceId");
        problem.Extensions.Remove("requestId");
        problem.Extensions["trace_id"] = Activity.Current?.TraceId.ToHexString() ?? ctx.TraceIdentifier;
    }

    private static string? DefaultDetail(int status, HttpContext ctx) => status switch
    {
        404 => "Nothing exists at this path.",
        405 => $"{ctx.Request.Method} is not allowed on this path.",
        415 => "The request's content type is not supported here.",
        403 => "You are not allowed to do this.",
        _ => null,
    };

    public static string ReasonPhrase(int status) => status switch
    {
        413 => "Payload Too Large",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p : "Error",
    };

    private static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        500 => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        502 => "https://tools.ietf.org/html/rfc9110#section-15.6.3",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}

/// <summary>
/// Maps exceptions to problems: upstream failures to 502/503 (+ Retry-After), an unreachable database to 503,
/// Kestrel's bad requests (body too large, malformed) to their status, anything else to a 500 that says nothing
/// but the trace id. The exception itself is only logged.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext ctx, Exception exception, CancellationToken ct)
    {
        if (ctx.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(log, ctx.Request.Path);
            return true; // nobody is listening any more
        }

        var (status, detail, retryAfter) = exception switch
        {
            UpstreamException u => (u.StatusCode, u.StatusCode == 503
                ? $"{u.Upstream} is unavailable; retry later."
                : $"{u.Upstream} refused the request.", u.RetryAfter),
            BadHttpRequestException b => (b.StatusCode, b.StatusCode == 413
                ? "The request body is too large."
                : "The request could not be read.", (TimeSpan?)null),
            NpgsqlException { IsTransient: true } or TimeoutException =>
                (503, "The database is unavailable; retry later.", TimeSpan.FromSeconds(5)),
            JsonException => (400, "The request body is not valid JSON.", null),
            // Text PostgreSQL cannot store (a NUL character, invalid UTF-8): the client's input, not our bug.
            PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } =>
                (400, "The request contains characters that cannot be stored.", null),
            _ => (500, "An unexpected error occurred.", null),
        };

        switch (status)
        {
            case >= 500 and not 500: Log.Upstream(log, exception, status, ctx.Request.Path); break;
            case 500: Log.Unhandled(log, exception, ctx.Request.Method, ctx.Request.Path); break;
        }

        if (ctx.Response.HasStarted) return true;
        ctx.Response.Clear();
        ctx.Response.StatusCode = status;
        if (retryAfter is { } ra) ctx.Response.Headers.RetryAfter = ((int)Math.Ceiling(ra.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = ctx,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
        });
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Error, "Unhandled exception on {Method} {Path}")]
        public static partial void Unhandled(ILogger logger, Exception e, string method, string? path);

        [LoggerMessage(LogLevel.Warning, "Upstream failure answered {Status} on {Path}")]
        public static partial void Upstream(ILogger logger, Exception e, int status, string? path);

        [LoggerMessage(LogLevel.Debug, "Client aborted {Path}")]
        public static partial void ClientAborted(ILogger logger, string? path);
    }
}
