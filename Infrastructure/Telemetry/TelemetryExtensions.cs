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
    /// Traces, metrics and logs for ASP.NET Core, HttpClient, Npgsql, Quartz and the service itself. Exported over
    /// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise collected and dropped, never an error.
    /// </summary>
    public static WebApplicationBuilder AddIgLiveTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? IgLiveTelemetry.Name, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithTracing(t => t
                .AddSource(IgLiveTelemetry.Name)
                .AddSource("Quartz")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(IgLiveTelemetry.Name)
                .AddMeter("Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();
        return builder;
    }
}
