using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;
using FastEndpoints.Swagger;
using IgLive.Service.Infrastructure.Database;
using IgLive.Service.Infrastructure.Problems;
using IgLive.Service.Infrastructure.RateLimiting;
using IgLive.Service.Infrastructure.Server;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalar.AspNetCore;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;

namespace IgLive.Service.Infrastructure.Api;

public static class ApiExtensions
{
    /// <summary>FastEndpoints (endpoints and validators found by scanning), its OpenAPI document and the rate-limit policies.</summary>
    public static WebApplicationBuilder AddIgLiveApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddFastEndpoints()
            .SwaggerDocument(o =>
            {
                o.DocumentSettings = s =>
                {
                    s.DocumentName = "v1";
                    s.Title = "IgLive.Service";
                    s.Version = "v1";
                    s.Description = "Short videos that live for a while, then disappear. Errors are RFC 9457 problem+json.";
                    s.PostProcess = OpenApiDocumentShapes.Apply;
                    s.OperationProcessors.Add(new OpenApiOperations());
                };
                o.ShortSchemaNames = true;
                o.RemoveEmptyRequestSchema = true;
                o.AutoTagPathSegmentIndex = 2;
            });
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        builder.Services.AddIgLiveRateLimiting();
        return builder;
    }

    /// <summary>snake_case both ways, nulls written, enums as snake_case strings: the contract's JSON.</summary>
    public static void ConfigureJson(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.Converters.Add(new UtcDateTimeOffsetConverter());
    }

    /// <param name="app">The application.</param>
    /// <param name="configure">Feature-level FastEndpoints configuration (global processors), applied last.</param>
    public static WebApplication UseIgLiveApi(this WebApplication app, Action<Config>? configure = null)
    {
        app.UseIgLiveForwardedHeaders();
        app.UseIgLiveSecurityHeaders();
        app.UseIgLiveRequestBodyLimit();
        app.UseDefaultFiles();
        app.UseStaticFiles();

        // Until this process has seen the schema up to date, API calls get 503 (not a 500 from a missing table).
        var migrations = app.Services.GetRequiredService<MigrationState>();
        app.Use(async (ctx, next) =>
        {
            if (!migrations.IsComplete && (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/auth/v1")))
            {
                ctx.Response.StatusCode = 503;
                ctx.Response.Headers.RetryAfter = "5";
                await ctx.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx,
                    ProblemDetails = new ProblemDetails { Status = 503, Detail = "The database is not ready yet; retry later." },
                });
                return;
            }
            await next();
        });

        app.UseCors(); // only endpoints that name a CORS policy (the /auth/v1 routes) answer cross-origin
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseFastEndpoints(c =>
        {
            ConfigureJson(c.Serializer.Options);
            c.Errors.ContentType = ProblemsExtensions.ContentType;
            c.Errors.ResponseBuilder = ProblemsExtensions.ValidationProblem;
            c.Errors.ProducesMetadataType = typeof(ProblemDetails);
            c.Endpoints.ShortNames = true;
            configure?.Invoke(c);
        });
        app.UseOpenApi(c => c.Path = "/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o
            .WithTitle("IgLive.Service API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));

        // Degraded = migrations still running: not ready yet.
        var ready = new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable },
        };
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", ready);
        app.MapHealthChecks("/api/health", ready); // the prototype's health route
        // Background jobs that can stall without making the instance unfit to serve (tag "jobs"): 503 when degraded, for
        // monitors; the body names each check's state.
        app.MapHealthChecks("/health/jobs", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("jobs"),
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable },
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        return app;
    }
}
