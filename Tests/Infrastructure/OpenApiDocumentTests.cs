using System.Diagnostics;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Features.Media.Processing;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// The OpenAPI document as tools use it, fetched from the service on a real Kestrel port: Redocly's <c>recommended</c>
/// rules (<c>Tests/OpenApi/redocly.yaml</c>) report no error, and a client generated from it in this set-up
/// (openapi-typescript → <c>generated/api.d.ts</c>, never checked in) type-checks with tsc and drives sign-up, upload,
/// feed and like (<c>Tests/OpenApi/client-flow.ts</c> with openapi-fetch). Tools pinned in <c>Tests/OpenApi/package-lock.json</c>,
/// installed by test.sh with <c>npm ci</c>.
/// </summary>
[TestFixture]
[NonParallelizable] // Node processes (lint, tsc, the client): one at a time on the 2-core machine
public sealed class OpenApiDocumentTests
{
    private static readonly string ToolDir = FindToolDir();
    private static readonly string Generated = Path.Combine(ToolDir, "generated");
    private ServiceFactory app = null!;
    private JsonElement doc;
    private (int Code, string Output) lint, generate, typeCheck, flow;
    private readonly Dictionary<string, JsonElement> steps = [];

    [OneTimeSetUp]
    public async Task GenerateAndRunTheClient()
    {
        Assert.That(File.Exists(Path.Combine(ToolDir, "node_modules", ".bin", "redocly")), Is.True, $"run `npm ci` in {ToolDir} (test.sh does)");
        var settings = MediaSamples.FastWorkers(drainer: false); // the upload is processed, so that it reaches the feed
        settings["Auth:RateLimit:PerAddressPerMinute"] = "100000";
        app = await ServiceFactory.CreateOnKestrelAsync(settings);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var json = await http.GetStringAsync("/openapi/v1.json");
        doc = JsonDocument.Parse(json).RootElement.Clone();
        if (Directory.Exists(Generated)) Directory.Delete(Generated, recursive: true);
        Directory.CreateDirectory(Generated);
        await File.WriteAllTextAsync(Path.Combine(Generated, "openapi.json"), json);

        lint = await RunAsync("node_modules/.bin/redocly", "lint", "--config", "redocly.yaml", "--format=stylish", "generated/openapi.json");
        generate = await RunAsync("node_modules/.bin/openapi-typescript", "generated/openapi.json", "-o", "generated/api.d.ts");
        typeCheck = generate.Code == 0 ? await RunAsync("node_modules/.bin/tsc", "-p", "tsconfig.json") : (-1, "not generated");
        if (typeCheck.Code != 0) return;
        var video = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "tiny.mp4");
        flow = await RunAsync("node", "generated/dist/client-flow.js", app.BaseAddress!.ToString().TrimEnd('/'), video);
        foreach (var line in flow.Output.Split('\n').Where(l => l.StartsWith('{')))
        {
            var step = JsonDocument.Parse(line).RootElement.Clone();
            steps[step.GetProperty("step").GetString()!] = step;
        }
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (app is not null) await app.DisposeAsync();
    }

    [Test]
    public void The_document_passes_redoclys_recommended_rules_without_an_error()
    {
        TestContext.Out.WriteLine(lint.Output); // warnings are listed, not failed
        Assert.That(lint.Code, Is.Zero, lint.Output);
        Assert.That(lint.Output, Does.Not.Match(@"\berror\b"), "no error-level finding");
    }

    [Test]
    public void Every_operation_says_its_security_and_no_path_is_a_catch_all()
    {
        Assert.Multiple(() =>
        {
            foreach (var path in doc.GetProperty("paths").EnumerateObject())
            {
                Assert.That(path.Name, Does.Not.Contain("**"), "a catch-all route is not an OpenAPI path");
                foreach (var op in path.Value.EnumerateObject())
                    Assert.That(op.Value.TryGetProperty("security", out var security) && security.ValueKind == JsonValueKind.Array, Is.True,
                        $"{op.Name} {path.Name} declares security (an empty requirement when anonymous)");
            }
        });
        var feed = doc.GetProperty("paths").GetProperty("/api/videos/feed").GetProperty("get");
        Assert.That(feed.GetProperty("security")[0].EnumerateObject(), Is.Empty, "the feed needs no credentials");
        Assert.That(feed.GetProperty("security")[1].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "JWTBearerAuth" }),
            "…and takes the caller's token when sent (liked_by_me, blocks hidden)");
        var user = doc.GetProperty("paths").GetProperty("/auth/v1/user").GetProperty("get").GetProperty("security")[0];
        Assert.That(user.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "SupabaseApiKey", "JWTBearerAuth" }),
            "GoTrue's user route is anonymous to ASP.NET Core but needs the apikey and a user's token");
        var hls = doc.GetProperty("paths").GetProperty("/media/hls/{id}/{rendition}/{file}").GetProperty("get");
        Assert.That(hls.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()),
            Is.EquivalentTo(new[] { "id", "rendition", "file" }));
    }

    [Test]
    public void Defaults_are_optional_and_nullability_is_written_the_3_0_way()
    {
        var limit = doc.GetProperty("paths").GetProperty("/api/videos/feed").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "limit");
        Assert.That(limit.TryGetProperty("required", out var required) && required.GetBoolean(), Is.False, "limit defaults to 20");
        Assert.That(limit.GetProperty("schema").GetProperty("default").GetInt32(), Is.EqualTo(20));
        var search = doc.GetProperty("paths").GetProperty("/api/videos/search").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "q");
        Assert.That(search.GetProperty("required").GetBoolean(), Is.True, "q has no default: still required");

        var schemas = doc.GetProperty("components").GetProperty("schemas");
        var errors = schemas.GetProperty("ProblemDetails").GetProperty("properties").GetProperty("errors");
        Assert.That(errors.GetProperty("type").GetString(), Is.EqualTo("object"));
        Assert.That(errors.GetProperty("nullable").GetBoolean(), Is.True);
        var video = schemas.GetProperty("NotificationDto").GetProperty("properties").GetProperty("video");
        Assert.That(video.GetProperty("type").GetString(), Is.EqualTo("object"), "nullable needs a type beside it in 3.0");
        Assert.That(doc.ToString(), Does.Not.Contain("\"type\":[").And.Not.Contain("\"type\": ["), "no 3.1 type lists in a 3.0 document");
        var upload = doc.GetProperty("paths").GetProperty("/api/videos").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.That(upload.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString(), Does.EndWith("/RegisterVideoRequest"));
        Assert.That(upload.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("$ref").GetString(), Does.EndWith("/UploadVideoForm"));
    }

    [Test]
    public void The_generated_client_type_checks()
    {
        Assert.That(generate.Code, Is.Zero, generate.Output);
        Assert.That(File.ReadAllText(Path.Combine(Generated, "api.d.ts")), Does.Contain("\"/api/videos/{id}/like\""));
        Assert.That(typeCheck.Code, Is.Zero, typeCheck.Output);
    }

    [Test]
    public async Task The_generated_client_signs_up_uploads_reads_the_feed_and_likes()
    {
        Assert.That(flow.Code, Is.Zero, flow.Output);
        Assert.Multiple(() =>
        {
            Assert.That(steps["sign_up"].GetProperty("status").GetInt32(), Is.EqualTo(201));
            Assert.That(steps["upload"].GetProperty("status").GetInt32(), Is.EqualTo(201));
            Assert.That(steps["processed"].GetProperty("status").GetString(), Is.EqualTo("ready"));
            Assert.That(steps["feed"].GetProperty("found").GetBoolean(), Is.True, "the upload is in the feed");
            Assert.That(steps["like"].GetProperty("liked").GetBoolean(), Is.True);
            Assert.That(steps["get_video"].GetProperty("liked_by_me").GetBoolean(), Is.True);
            Assert.That(steps["not_found"].GetProperty("problem_status").GetInt32(), Is.EqualTo(404));
        });

        var id = Guid.Parse(steps["upload"].GetProperty("id").GetString()!);
        var userId = Guid.Parse(steps["sign_up"].GetProperty("user_id").GetString()!);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var video = JsonDocument.Parse(await http.GetStringAsync($"/api/videos/{id}")).RootElement;
        Assert.That(video.GetProperty("likes_count").GetInt32(), Is.EqualTo(1));
        Assert.That(video.GetProperty("author").GetProperty("username").GetString(), Is.EqualTo(steps["sign_up"].GetProperty("username").GetString()));

        await using var db = app.OpenConnection();
        var row = await db.QuerySingleAsync<(Guid Owner, string Title, string[] Tags)>(
            "SELECT user_id, title, tags FROM videos WHERE id = @id", new { id });
        Assert.That(row, Is.EqualTo((userId, "Generated client upload", new[] { "generated", "openapi" })).Using<(Guid, string, string[])>(
            (a, b) => a.Item1 == b.Item1 && a.Item2 == b.Item2 && a.Item3.SequenceEqual(b.Item3)));
        Assert.That(await db.ExecuteScalarAsync<int>("SELECT count(*) FROM video_likes WHERE video_id = @id AND user_id = @userId", new { id, userId }),
            Is.EqualTo(1));
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file.StartsWith("node_modules") ? Path.Combine(ToolDir, file) : file)
        {
            WorkingDirectory = ToolDir, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" },
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindToolDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tests", "OpenApi", "client-flow.ts"))) return Path.Combine(dir.FullName, "Tests", "OpenApi");
        throw new InvalidOperationException("Tests/OpenApi/client-flow.ts not found above " + AppContext.BaseDirectory);
    }
}
