using System.Net.Http.Headers;
using Dapper;
using IgLive.Service.Features.LocalAuth.Store;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using IgLive.Service.Tests;

namespace IgLive.Service.Tests.Infrastructure;

// PostgresFixture is in the root test namespace so that its [SetUpFixture] covers every fixture.


/// <summary>A user known to the service: a profile row and a valid local access token.</summary>
public sealed record TestUser(Guid Id, string Username, string Email, string AccessToken, HttpClient Client);

/// <summary>
/// The service in memory (<see cref="WebApplicationFactory{TEntryPoint}"/>) on its own cloned database, local storage
/// in a temp folder, local auth, the Quartz scheduler off, and a <see cref="FakeTimeProvider"/> that moves 1 ms per
/// read (so rows created one after another have distinct, ordered timestamps). Settings can be overridden per fixture.
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public const string JwtSecret = "test-secret-test-secret-test-secret-0123456789";
    public const string AnonKey = "sb_publishable_test-anon-key-0123456789abcdef";
    public const string ServiceRoleKey = "sb_secret_test-service-role-key-0123456789abcdef";
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? services;
    private Action<IServiceCollection>? lateServices;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
    public string ConnectionString { get; }
    public string StoragePath { get; }

    private ServiceFactory(string connectionString, IDictionary<string, string?>? overrides, Action<IServiceCollection>? services)
    {
        ConnectionString = connectionString;
        StoragePath = Path.Combine(Path.GetTempPath(), "iglive-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(StoragePath);
        settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Auth:Mode"] = "Local",
            ["Auth:JwtSecret"] = JwtSecret,
            ["Auth:AnonKey"] = AnonKey,
            ["Auth:ServiceRoleKey"] = ServiceRoleKey,
            ["Auth:KeysPath"] = StoragePath + "-keys", // the generated ES256 key, outside the served media folder
            ["Storage:Provider"] = "Local",
            ["Storage:LocalPath"] = StoragePath,
            ["Database:MigrateOnStartup"] = "false",
            ["Cleanup:SchedulerEnabled"] = "false",
            ["Cleanup:DrainerEnabled"] = "false", // tests drain explicitly (or turn it on) so queue rows stay observable
            ["Media:Workers"] = "0", // processing tests turn workers on (MediaSamples.FastWorkers), so jobs stay observable
        };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>()) settings[k] = v;
        this.services = services;
    }

    /// <summary>Starts a service on a fresh migrated database, or on <paramref name="connectionString"/>'s (a second instance).</summary>
    public static async Task<ServiceFactory> CreateAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string? connectionString = null)
    {
        var factory = new ServiceFactory(connectionString ?? await PostgresFixture.CreateDatabaseAsync(), settings, services);
        _ = factory.Server; // build the host now, so configuration errors surface in the fixture set-up
        await factory.WaitUntilReadyAsync();
        return factory;
    }

    /// <summary>
    /// Another instance of this one's deployment: the same database and signing keys (a token issued by either is valid
    /// on both), its own memory; <paramref name="settings"/> as for <see cref="CreateAsync"/>.
    /// </summary>
    public Task<ServiceFactory> CreateSecondInstanceAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
        => CreateAsync(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Auth:KeysPath"] = this.settings["Auth:KeysPath"],
        }, services, ConnectionString);

    /// <summary>Starts a service on any database (empty, unreachable) without waiting for it to become ready.</summary>
    public static ServiceFactory StartUnready(string connectionString)
    {
        var factory = new ServiceFactory(connectionString, null, null);
        _ = factory.Server;
        return factory;
    }

    /// <summary>Starts a service on a real Kestrel port (for a browser); <see cref="BaseAddress"/> is where it listens.</summary>
    /// <param name="lateServices">Service registrations applied after the factory's own <c>UseKestrel</c> ones.</param>
    public static async Task<ServiceFactory> CreateOnKestrelAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? lateServices = null)
    {
        var factory = new ServiceFactory(await PostgresFixture.CreateDatabaseAsync(), settings, null) { lateServices = lateServices };
        factory.UseKestrel(0);
        factory.StartServer();
        factory.BaseAddress = factory.ClientOptions.BaseAddress;
        await factory.WaitUntilReadyAsync();
        return factory;
    }

    /// <summary>The Kestrel address when started with <see cref="CreateOnKestrelAsync"/>.</summary>
    public Uri? BaseAddress { get; private set; }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        if (lateServices is not null) builder.ConfigureServices(lateServices);
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            services?.Invoke(s);
        });
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = CreateClient();
        if (!await Poll.TryUntilAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException("service did not become ready");
    }

    public NpgsqlConnection OpenConnection()
    {
        var conn = new NpgsqlConnection(ConnectionString);
        conn.Open();
        return conn;
    }

    /// <summary>Creates a profile and signs a local token for it (as the local issuer would after sign-up).</summary>
    public async Task<TestUser> CreateUserAsync(string? username = null)
    {
        var id = Guid.NewGuid();
        username ??= "u" + id.ToString("N")[..12];
        var email = $"{username}@example.test";
        await using (var conn = OpenConnection())
            await conn.ExecuteAsync("INSERT INTO profiles (id, username) VALUES (@id, @username)", new { id, username });
        var token = Services.GetRequiredService<LocalTokenIssuer>().Issue(id, email, Guid.NewGuid()).AccessToken;
        return new TestUser(id, username, email, token, CreateClient(token));
    }

    /// <summary>An HttpClient that sends the given bearer token (anonymous when null).</summary>
    public HttpClient CreateClient(string? accessToken)
    {
        var client = CreateClient();
        if (accessToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Inserts a video row directly (no file; ready unless told otherwise), for slices that read videos, the cleanup and processing.</summary>
    /// <param name="storageKey">The stored file's key (default <c>videos/{id}.mp4</c>); an ImageKit file id with <paramref name="provider"/> imagekit.</param>
    public async Task<Guid> SeedVideoAsync(TestUser owner, DateTimeOffset? expiresAt = null, DateTimeOffset? createdAt = null,
        string title = "seeded video", string[]? tags = null, string? storageKey = null, string description = "",
        string provider = "local", string? thumbnailKey = null, string status = "ready", long sizeBytes = 1234, Guid? id = null)
    {
        var videoId = id ?? Guid.NewGuid();
        var created = createdAt ?? Clock.GetUtcNow();
        var key = storageKey ?? $"videos/{videoId:N}.mp4";
        var local = provider == "local";
        await using var conn = OpenConnection();
        await conn.ExecuteAsync("""
            INSERT INTO videos (id, user_id, title, description, tags, storage_provider, storage_key, storage_path, thumbnail_key,
                                video_url, content_type, size_bytes, created_at, expires_at, status)
            VALUES (@id, @owner, @title, @description, @tags, @provider, @key, @path, @thumbnailKey, @url, 'video/mp4', @sizeBytes, @created, @expires, @status)
            """, new
        {
            id = videoId, owner = owner.Id, title, description, tags = tags ?? [], provider, key, path = local ? key : null, thumbnailKey,
            url = local ? $"/media/{key}" : $"https://ik.example.test/{key}", created, expires = expiresAt ?? created.AddDays(14), status, sizeBytes,
        });
        return videoId;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(StoragePath, recursive: true); } catch (IOException) { }
        try { if (Directory.Exists(StoragePath + "-keys")) Directory.Delete(StoragePath + "-keys", recursive: true); } catch (IOException) { }
    }
}
