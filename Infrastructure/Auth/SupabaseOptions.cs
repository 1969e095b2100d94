using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>Section <c>Supabase</c>.</summary>
public sealed class SupabaseOptions : ISectionOptions
{
    public string Section => "Supabase";
    public string? Url { get; set; }
    public string? AnonKey { get; set; }
    public string? JwtSecret { get; set; }
    /// <summary>Total time budget of one call to Supabase Auth (retries included), in seconds.</summary>
    public double TimeoutSeconds { get; set; } = 10;
    public string AuthBaseUrl => (Url ?? "").TrimEnd('/') + "/auth/v1";

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (TimeoutSeconds is <= 0 or > 300)
            yield return "Supabase__TimeoutSeconds must be between 0 and 300.";
        if (!Enum.TryParse<AuthMode>(config["Auth:Mode"], ignoreCase: true, out var mode) || mode != AuthMode.Supabase) yield break;
        if (!Uri.TryCreate(Url, UriKind.Absolute, out _))
            yield return "Supabase__Url is required (an absolute URL) when Auth__Mode=Supabase.";
        if (string.IsNullOrWhiteSpace(AnonKey))
            yield return "Supabase__AnonKey is required when Auth__Mode=Supabase.";
    }
}
