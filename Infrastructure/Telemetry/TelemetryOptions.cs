using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Infrastructure.Telemetry;

/// <summary>Section <c>Telemetry</c>: what is recorded (what is exported is OpenTelemetry's own OTEL_* settings).</summary>
public sealed class TelemetryOptions : ISectionOptions
{
    public string Section => "Telemetry";
    /// <summary>ASP.NET Core, HttpClient and Npgsql spans; null means "when an OTLP endpoint is configured".</summary>
    public bool? Tracing { get; set; }
    /// <summary>ASP.NET Core, HttpClient, Npgsql and runtime metrics; null means "when an OTLP endpoint is configured".</summary>
    public bool? Metrics { get; set; }
    /// <summary>Fraction of root traces sampled (parent-based), 0..1.</summary>
    public double SampleRatio { get; set; } = 1.0;

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (SampleRatio is < 0 or > 1 || double.IsNaN(SampleRatio))
            yield return "Telemetry__SampleRatio must be between 0 and 1.";
    }
}
