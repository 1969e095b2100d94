using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Infrastructure.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using IgLive.Service.Tests;
using OpenTelemetry.Trace;

namespace IgLive.Service.Tests.Infrastructure;

[TestFixture]
public sealed class PlatformTests
{
    private ServiceFactory app = null!;
    private readonly List<Activity> spans = [];

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(
        new Dictionary<string, string?> { ["Telemetry:Tracing"] = "true" }, // off without an exporter
        s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task Liveness_and_readiness_answer_200()
    {
        var client = app.CreateClient();
        Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/api/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Readiness_is_503_without_migrations_and_200_once_applied()
    {
        var cs = await PostgresFixture.CreateEmptyDatabaseAsync();
        await using var empty = ServiceFactory.StartUnready(cs);
        var client = empty.CreateClient();
        Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var api = await client.GetAsync("/api/users/nobody");
        await api.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.That(api.Headers.RetryAfter, Is.Not.Null);

        await using (var ds = NpgsqlDataSource.Create(cs))
            await new DatabaseMigrator(ds, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Readiness_is_503_while_the_database_is_unreachable()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Host = "127.0.0.1", Port = 1, Timeout = 2 }.ConnectionString;
        await using var down = ServiceFactory.StartUnready(unreachable);
        Assert.That((await down.CreateClient().GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await down.CreateClient().GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Two_migrators_racing_apply_each_script_once()
    {
        var cs = await PostgresFixture.CreateEmptyDatabaseAsync();
        await using var ds = NpgsqlDataSource.Create(cs);
        var migrators = Enumerable.Range(0, 3).Select(_ => new DatabaseMigrator(ds, NullLogger<DatabaseMigrator>.Instance)).ToArray();
        await Task.WhenAll(migrators.Select(m => m.MigrateAsync(CancellationToken.None)));

        await using var conn = await ds.OpenConnectionAsync();
        var applied = (await conn.QueryAsync<string>("SELECT scriptname FROM schema_migrations")).ToArray();
        Assert.That(applied, Is.EquivalentTo(DatabaseMigrator.ScriptNames));
        Assert.That(await migrators[0].PendingAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task OpenApi_document_describes_the_endpoints()
    {
        var doc = await (await app.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = doc.GetProperty("paths");
        Assert.That(paths.TryGetProperty("/api/me", out var me), Is.True);
        Assert.That(me.TryGetProperty("get", out var get), Is.True);
        Assert.That(get.TryGetProperty("requestBody", out _), Is.False, "a GET has no body");
        Assert.That(me.GetProperty("patch").GetProperty("responses").TryGetProperty("409", out _), Is.True);

        var user = paths.GetProperty("/api/users/{username}").GetProperty("get");
        var parameters = user.GetProperty("parameters").EnumerateArray().ToArray();
        Assert.That(parameters.Any(p => p.GetProperty("name").GetString() == "username" && p.GetProperty("in").GetString() == "path"), Is.True);
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.That(schemas.GetProperty("ProfileDto").GetProperty("properties").TryGetProperty("videos_count", out _), Is.True,
            "schemas use the contract's snake_case names");
        var problem = schemas.GetProperty("ProblemDetails").GetProperty("properties");
        Assert.That(problem.TryGetProperty("trace_id", out _) && problem.GetProperty("errors").GetProperty("type").ToString().Contains("object"),
            Is.True, "the problem schema is the contract's (errors keyed by field)");
        var unauthorized = me.GetProperty("get").GetProperty("responses").GetProperty("401").GetProperty("content");
        Assert.That(unauthorized.TryGetProperty("application/problem+json", out _), Is.True);
    }

    private static readonly (string Method, string Path)[] ContractOperations =
    [
        ("post", "/api/auth/signup"), ("post", "/api/auth/login"), ("post", "/api/auth/refresh"), ("post", "/api/auth/logout"),
        ("get", "/api/auth/imagekit"), ("get", "/api/me"), ("patch", "/api/me"), ("get", "/api/users/{username}"),
        ("post", "/api/videos"), ("get", "/api/videos/feed"), ("get", "/api/videos/{id}"), ("delete", "/api/videos/{id}"),
        ("post", "/api/videos/{id}/views"), ("put", "/api/videos/{id}/like"), ("delete", "/api/videos/{id}/like"),
        ("post", "/api/videos/{id}/like"), ("get", "/api/videos/{id}/comments"), ("post", "/api/videos/{id}/comments"),
        ("delete", "/api/videos/{id}/comments/{comment_id}"), ("post", "/api/videos/{id}/comment"),
    ];

    [Test]
    public async Task OpenApi_document_covers_every_operation_of_the_contract()
    {
        var paths = (await (await app.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync()).GetProperty("paths");
        Assert.Multiple(() =>
        {
            foreach (var (method, path) in ContractOperations)
            {
                Assert.That(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out var op), Is.True, $"{method} {path}");
                if (!paths.TryGetProperty(path, out item) || !item.TryGetProperty(method, out op)) continue;
                var responses = op.GetProperty("responses").EnumerateObject().ToArray();
                Assert.That(responses.Any(r => r.Name.StartsWith('2')), Is.True, $"{method} {path} documents its success");
                Assert.That(responses.Where(r => r.Name.StartsWith('4')).All(r => r.Value.GetProperty("content").TryGetProperty("application/problem+json", out _)),
                    Is.True, $"{method} {path}: errors are problem+json");
                foreach (var segment in path.Split('/').Where(s => s.StartsWith('{')))
                {
                    var name = segment.Trim('{', '}');
                    Assert.That(op.GetProperty("parameters").EnumerateArray().Any(p => p.GetProperty("name").GetString() == name
                        && p.GetProperty("in").GetString() == "path"), Is.True, $"{method} {path} declares {name}");
                }
            }
            foreach (var item in paths.EnumerateObject())
                if (item.Value.TryGetProperty("get", out var get))
                    Assert.That(get.TryGetProperty("requestBody", out _), Is.False, $"GET {item.Name} has no body");
        });
    }

    [Test]
    public async Task Interactive_docs_are_served()
    {
        var rsp = await app.CreateClient().GetAsync("/docs");
        var html = await rsp.Content.ReadAsStringAsync();
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("/openapi/v1.json").Or.Contain("openapi"));
    }

    [Test]
    public async Task A_request_produces_a_server_span_with_a_child_database_span()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.GetAsync($"/api/users/{user.Username}");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();

        // The server span ends after the client has the response (the host disposes the request context last): wait
        // for its export rather than racing it.
        Activity? server = null;
        SpinWait.SpinUntil(() => (server = spans.ToArray().LastOrDefault(s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == $"/api/users/{user.Username}")) is not null, TimeSpan.FromSeconds(10));
        Assert.That(server, Is.Not.Null, "server span");
        var db = spans.Where(s => s.TraceId == server!.TraceId && s.Kind == ActivityKind.Client && s.Source.Name == "Npgsql").ToArray();
        Assert.That(db, Is.Not.Empty, "database span in the same trace");
        Assert.That(db.Any(s => s.ParentSpanId == server!.SpanId), Is.True, "database span is a child of the server span");
    }

    [Test]
    public void The_connection_pool_defaults_to_four_per_core_unless_the_connection_string_sets_it()
    {
        // The test connection string names no pool size: the service's default applies.
        var used = new NpgsqlConnectionStringBuilder(app.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString);
        Assert.That(used.MaxPoolSize, Is.EqualTo(Math.Clamp(4 * Environment.ProcessorCount, 8, 100)));
        Assert.That(DatabaseExtensions.SetsMaxPoolSize("Host=h;Maximum Pool Size=7"), Is.True);
        Assert.That(DatabaseExtensions.SetsMaxPoolSize("host=h; max pool size = 7"), Is.True);
        Assert.That(DatabaseExtensions.SetsMaxPoolSize("Host=h;MAXIMUM POOL SIZE=7;Database=d"), Is.True);
        Assert.That(DatabaseExtensions.SetsMaxPoolSize("Host=h;Minimum Pool Size=7"), Is.False);
        Assert.That(DatabaseExtensions.SetsMaxPoolSize("Host=h;Database=d"), Is.False);
    }

    [Test]
    public async Task Json_is_snake_case_with_utc_timestamps()
    {
        var user = await app.CreateUserAsync();
        var body = await (await user.Client.GetAsync("/api/me")).JsonAsync();
        Assert.That(body.TryGetProperty("videos_count", out _), Is.True);
        Assert.That(body.TryGetProperty("created_at", out var created), Is.True);
        Assert.That(created.GetString(), Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"));
    }
}
