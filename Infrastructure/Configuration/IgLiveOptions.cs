using Quartz;

namespace IgLive.Service.Infrastructure.Configuration;

/// <summary>How users are authenticated: tokens issued by this service, or by a Supabase project.</summary>
public enum AuthMode { Local, Supabase }

/// <summary>Where video files are stored.</summary>
public enum StorageProvider { Local, ImageKit }

/// <summary>Section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public AuthMode Mode { get; set; } = AuthMode.Local;
    /// <summary>Local-mode HS256 signing secret (at least 32 bytes); generated into the data folder when empty.</summary>
    public string? JwtSecret { get; set; }
    /// <summary>Public base URL of this service; local tokens carry <c>iss = {PublicBaseUrl}/auth/v1</c>.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:8080";
    /// <summary>Lifetime of local access tokens, in seconds (Supabase's default is one hour).</summary>
    public int AccessTokenSeconds { get; set; } = 3600;
    /// <summary>
    /// PBKDF2 (HMAC-SHA512, Identity's V3 format) iterations for local passwords. Identity's default; stored in each
    /// hash, so raising it later re-hashes passwords on their next successful login.
    /// </summary>
    public int PasswordHashIterations { get; set; } = 100_000;
    /// <summary>Brute-force limits of sign-up and login (per instance: each replica counts on its own).</summary>
    public AuthRateLimitOptions RateLimit { get; set; } = new();
    public string LocalIssuer => PublicBaseUrl.TrimEnd('/') + "/auth/v1";
}

/// <summary>Section <c>Auth:RateLimit</c>: fixed one-minute windows, kept in memory of each instance.</summary>
public sealed class AuthRateLimitOptions
{
    /// <summary>Sign-up and login attempts per client address per minute.</summary>
    public int PerAddressPerMinute { get; set; } = 60;
    /// <summary>Sign-up and login attempts per e-mail address per minute.</summary>
    public int PerEmailPerMinute { get; set; } = 10;
}

/// <summary>Section <c>Supabase</c>.</summary>
public sealed class SupabaseOptions
{
    public string? Url { get; set; }
    public string? AnonKey { get; set; }
    public string? JwtSecret { get; set; }
    /// <summary>Total time budget of one call to Supabase Auth (retries included), in seconds.</summary>
    public double TimeoutSeconds { get; set; } = 10;
    public string AuthBaseUrl => (Url ?? "").TrimEnd('/') + "/auth/v1";
}

/// <summary>Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Local;
    public string LocalPath { get; set; } = "./data/media";
    /// <summary>
    /// Age (since its last write) from which an upload's <c>.incoming/*.part</c> file counts as abandoned by a process
    /// that died mid-upload and is removed by the sweep (at start-up and with every cleanup run), in minutes. An upload
    /// in flight writes its part file continuously, so it never gets this old.
    /// </summary>
    public int IncomingMaxAgeMinutes { get; set; } = 60;
}

/// <summary>Section <c>ImageKit</c>.</summary>
public sealed class ImageKitOptions
{
    public string? PublicKey { get; set; }
    public string? PrivateKey { get; set; }
    public string? UrlEndpoint { get; set; }
    public string Folder { get; set; } = "/iglive";
    public string UploadBaseUrl { get; set; } = "https://upload.imagekit.io";
    public string ApiBaseUrl { get; set; } = "https://api.imagekit.io";
    /// <summary>Per-attempt timeout of the management API calls (details, delete), in seconds.</summary>
    public double ApiTimeoutSeconds { get; set; } = 10;
    /// <summary>Retries of the idempotent management API calls on 429/5xx/timeouts.</summary>
    public int ApiRetries { get; set; } = 3;
    /// <summary>Total timeout of one streamed upload, in seconds (a large video on a slow link takes long).</summary>
    public double UploadTimeoutSeconds { get; set; } = 3600;
    /// <summary>
    /// After an upload failed ambiguously (timeout, reset, 5xx, unreadable answer) the file may exist without our knowing
    /// its fileId; its path is queued for deletion and first searched for this many seconds later, so that an upload
    /// ImageKit was still finishing (and indexing) is found.
    /// </summary>
    public int OrphanSearchDelaySeconds { get; set; } = 300;

    /// <summary>Whether the server-side keys are present (the ImageKit store can be used).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(PrivateKey) && !string.IsNullOrWhiteSpace(PublicKey);
}

/// <summary>Section <c>Upload</c>.</summary>
public sealed class UploadOptions
{
    public long MaxBytes { get; set; } = 104_857_600;
}

/// <summary>Section <c>Server</c>: Kestrel tuning.</summary>
public sealed class ServerOptions
{
    /// <summary>
    /// Size of the blocks Kestrel receives into (one <c>recv</c> per block): 64 KiB instead of Kestrel's 4 KiB makes large
    /// uploads much cheaper in syscalls; each connection with unread or unsent data holds at least one block. 0 keeps
    /// Kestrel's default pool.
    /// </summary>
    public int SocketBlockBytes { get; set; } = 64 * 1024;
}

/// <summary>Section <c>Cleanup</c>.</summary>
public sealed class CleanupOptions
{
    public int RetentionDays { get; set; } = 14;
    public string Cron { get; set; } = "0 0/15 * * * ?";
    public int BatchSize { get; set; } = 500;
    /// <summary>Whether this instance runs the Quartz scheduler at all (tests and one-off commands turn it off).</summary>
    public bool SchedulerEnabled { get; set; } = true;
    /// <summary>Whether this instance drains the storage deletion queue every <see cref="DrainIntervalSeconds"/>.</summary>
    public bool DrainerEnabled { get; set; } = true;
    /// <summary>Seconds between two drains of the deletion queue, so deleted videos' files go within seconds.</summary>
    public int DrainIntervalSeconds { get; set; } = 5;
    /// <summary>Concurrent store calls per provider while draining (each claims its own chunks).</summary>
    public int DrainParallelism { get; set; } = 4;
    /// <summary>First retry delay of a failed file deletion; doubles per attempt up to <see cref="RetryCapSeconds"/>.</summary>
    public int RetryBaseSeconds { get; set; } = 30;
    public int RetryCapSeconds { get; set; } = 3600;
    /// <summary>A deletion that has failed this many times is logged at Warning and counted as stuck.</summary>
    public int WarnAttempts { get; set; } = 10;
}

/// <summary>Section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Apply pending migrations when the service starts (under an advisory lock).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

/// <summary>Section <c>Telemetry</c>: what is recorded (what is exported is OpenTelemetry's own OTEL_* settings).</summary>
public sealed class TelemetryOptions
{
    /// <summary>ASP.NET Core, HttpClient and Npgsql spans; null means "when an OTLP endpoint is configured".</summary>
    public bool? Tracing { get; set; }
    /// <summary>ASP.NET Core, HttpClient, Npgsql and runtime metrics; null means "when an OTLP endpoint is configured".</summary>
    public bool? Metrics { get; set; }
    /// <summary>Fraction of root traces sampled (parent-based), 0..1.</summary>
    public double SampleRatio { get; set; } = 1.0;
}

/// <summary>
/// Reads every section once at start-up and reports all problems together, one line each, so an operator
/// fixes the configuration in one go instead of meeting a stack trace per missing key.
/// </summary>
public static class ConfigurationValidator
{
    public static IReadOnlyList<string> Validate(IConfiguration config)
    {
        var problems = new List<string>();
        T Bind<T>(string section) where T : new()
        {
            var value = new T();
            try { config.GetSection(section).Bind(value); }
            catch (InvalidOperationException e) { problems.Add($"{section}: {e.Message}"); }
            return value;
        }

        if (string.IsNullOrWhiteSpace(config.GetConnectionString("Postgres")))
            problems.Add("ConnectionStrings__Postgres is required (a PostgreSQL connection string).");

        var auth = Bind<AuthOptions>("Auth");
        var supabase = Bind<SupabaseOptions>("Supabase");
        SecretRules.Check(config, problems);
        if (!Uri.TryCreate(auth.PublicBaseUrl, UriKind.Absolute, out _))
            problems.Add("Auth__PublicBaseUrl must be an absolute URL.");
        if (auth.PasswordHashIterations is < 10_000 or > 10_000_000)
            problems.Add("Auth__PasswordHashIterations must be between 10000 and 10000000.");
        if (auth.RateLimit.PerAddressPerMinute < 1 || auth.RateLimit.PerEmailPerMinute < 1)
            problems.Add("Auth__RateLimit__PerAddressPerMinute and Auth__RateLimit__PerEmailPerMinute must be at least 1.");
        if (supabase.TimeoutSeconds is <= 0 or > 300)
            problems.Add("Supabase__TimeoutSeconds must be between 0 and 300.");
        if (auth.Mode == AuthMode.Supabase)
        {
            if (!Uri.TryCreate(supabase.Url, UriKind.Absolute, out _))
                problems.Add("Supabase__Url is required (an absolute URL) when Auth__Mode=Supabase.");
            if (string.IsNullOrWhiteSpace(supabase.AnonKey))
                problems.Add("Supabase__AnonKey is required when Auth__Mode=Supabase.");
        }

        var storage = Bind<StorageOptions>("Storage");
        if (storage.IncomingMaxAgeMinutes is < 1 or > 10_080)
            problems.Add("Storage__IncomingMaxAgeMinutes must be between 1 and 10080 (a week).");
        if (storage.Provider == StorageProvider.ImageKit)
        {
            var ik = Bind<ImageKitOptions>("ImageKit");
            if (string.IsNullOrWhiteSpace(ik.PublicKey)) problems.Add("ImageKit__PublicKey is required when Storage__Provider=ImageKit.");
            if (string.IsNullOrWhiteSpace(ik.PrivateKey)) problems.Add("ImageKit__PrivateKey is required when Storage__Provider=ImageKit.");
            if (!Uri.TryCreate(ik.UrlEndpoint, UriKind.Absolute, out _)) problems.Add("ImageKit__UrlEndpoint is required (an absolute URL) when Storage__Provider=ImageKit.");
            if (!Uri.TryCreate(ik.UploadBaseUrl, UriKind.Absolute, out _)) problems.Add("ImageKit__UploadBaseUrl must be an absolute URL.");
            if (!Uri.TryCreate(ik.ApiBaseUrl, UriKind.Absolute, out _)) problems.Add("ImageKit__ApiBaseUrl must be an absolute URL.");
            if (!ik.Folder.StartsWith('/')) problems.Add("ImageKit__Folder must start with '/'.");
            if (ik.ApiTimeoutSeconds is <= 0 or > 300) problems.Add("ImageKit__ApiTimeoutSeconds must be between 0 and 300.");
            if (ik.ApiRetries is < 0 or > 10) problems.Add("ImageKit__ApiRetries must be between 0 and 10.");
            if (ik.UploadTimeoutSeconds <= 0) problems.Add("ImageKit__UploadTimeoutSeconds must be positive.");
            if (ik.OrphanSearchDelaySeconds is < 0 or > 86_400) problems.Add("ImageKit__OrphanSearchDelaySeconds must be between 0 and 86400.");
        }

        var upload = Bind<UploadOptions>("Upload");
        if (upload.MaxBytes <= 0) problems.Add("Upload__MaxBytes must be a positive number of bytes.");

        var server = Bind<ServerOptions>("Server");
        if (server.SocketBlockBytes != 0 && (server.SocketBlockBytes is < 4096 or > 1024 * 1024 || server.SocketBlockBytes % 4096 != 0))
            problems.Add("Server__SocketBlockBytes must be 0 (Kestrel's default) or a multiple of 4096 between 4096 and 1048576.");

        var cleanup = Bind<CleanupOptions>("Cleanup");
        if (cleanup.RetentionDays is < 1 or > 3650) problems.Add("Cleanup__RetentionDays must be between 1 and 3650.");
        if (cleanup.BatchSize is < 1 or > 10_000) problems.Add("Cleanup__BatchSize must be between 1 and 10000.");
        if (!CronExpression.TryParse(cleanup.Cron, out _)) problems.Add($"Cleanup__Cron is not a valid Quartz cron expression: '{cleanup.Cron}'.");
        if (cleanup.DrainIntervalSeconds is < 1 or > 3600) problems.Add("Cleanup__DrainIntervalSeconds must be between 1 and 3600.");
        if (cleanup.DrainParallelism is < 1 or > 16) problems.Add("Cleanup__DrainParallelism must be between 1 and 16.");
        if (cleanup.RetryBaseSeconds < 1 || cleanup.RetryCapSeconds < cleanup.RetryBaseSeconds)
            problems.Add("Cleanup__RetryBaseSeconds must be at least 1 and Cleanup__RetryCapSeconds at least as large.");

        Bind<DatabaseOptions>("Database");
        var telemetry = Bind<TelemetryOptions>("Telemetry");
        if (telemetry.SampleRatio is < 0 or > 1 || double.IsNaN(telemetry.SampleRatio))
            problems.Add("Telemetry__SampleRatio must be between 0 and 1.");
        return problems;
    }
}

/// <summary>Thrown when <see cref="ConfigurationValidator"/> finds problems; Program prints them and exits.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<string> problems)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

public static class ConfigurationExtensions
{
    /// <summary>Validates configuration (throws <see cref="InvalidConfigurationException"/>) and registers the options.</summary>
    public static WebApplicationBuilder AddIgLiveConfiguration(this WebApplicationBuilder builder)
    {
        var problems = ConfigurationValidator.Validate(builder.Configuration);
        if (problems.Count > 0) throw new InvalidConfigurationException(problems);

        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection("Auth"));
        builder.Services.Configure<SupabaseOptions>(builder.Configuration.GetSection("Supabase"));
        builder.Services.Configure<StorageOptions>(builder.Configuration.GetSection("Storage"));
        builder.Services.Configure<ImageKitOptions>(builder.Configuration.GetSection("ImageKit"));
        builder.Services.Configure<UploadOptions>(builder.Configuration.GetSection("Upload"));
        builder.Services.Configure<CleanupOptions>(builder.Configuration.GetSection("Cleanup"));
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection("Database"));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
