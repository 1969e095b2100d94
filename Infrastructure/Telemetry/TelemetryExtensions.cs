using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IgLive.Service.Infrastructure.Telemetry;

/// <summary>The service's own ActivitySource and Meter, both named <c>IgLive.Service</c>.</summary>
public static class IgLiveTelemetry
{
    public const string Name = "IgLive.Service";
    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);
}

public static class TelemetryExtensions
{
    /// <summary>
    /// Traces, metrics and logs for ASP.NET Core, HttpClient, Npgsql, Quartz and the service itself, exported over
    /// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without an exporter nobody would read them, so the
    /// per-request instrumentation (server, HttpClient and database spans; ASP.NET Core, HttpClient and runtime
    /// metrics) is not registered unless <c>Telemetry:Tracing</c> / <c>Telemetry:Metrics</c> say so (tests that
    /// attach an in-memory exporter do); the service's own source and meter always are. <c>Telemetry:SampleRatio</c>
    /// (default 1) samples root traces, parent-based.
    /// </summary>
    public static WebApplicationBuilder AddIgLiveTelemetry(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var exporter = !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var options = config.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        var tracing = options.Tracing ?? exporter;
        var metrics = options.Metrics ?? exporter;
        var ratio = options.SampleRatio;

        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(config["OTEL_SERVICE_NAME"] ?? IgLiveTelemetry.Name, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithTracing(t =>
            {
                t.AddSource(IgLiveTelemetry.Name).AddSource("Quartz");
                if (ratio < 1.0) t.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)));
                if (tracing)
                {
                    t.AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                        .AddHttpClientInstrumentation()
                        .AddNpgsql();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(IgLiveTelemetry.Name);
                if (metrics)
                {
                    m.AddMeter("Npgsql")
                        .AddAspNetCoreInstrumentation()
                        .AddHttpClientInstrumentation()
                        .AddRuntimeInstrumentation();
                }
            });

        if (exporter) otel.UseOtlpExporter();
        return builder;
    }
}
