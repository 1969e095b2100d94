using System.Net;
using Dapper;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Videos.RecordView;

[TestFixture]
public sealed class RecordViewTests
{
    private const string ClientAddressHeader = "X-Test-Client-Address";
    private ServiceFactory app = null!;
    private static readonly string[] ExpectedKeys = ["a:203.0.113.1", "a:203.0.113.2", "a:2001:db8::1"];

    // TestServer leaves Connection.RemoteIpAddress null; this test-only filter sets it from a header so anonymous
    // viewers with different addresses can be told apart.
    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(services: s => s.AddSingleton<IStartupFilter, ClientAddressFilter>());

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private async Task<long> ViewsAsync(Guid id)
    {
        await using var conn = app.OpenConnection();
        return await conn.ExecuteScalarAsync<long>("SELECT views_count FROM videos WHERE id = @id", new { id });
    }

    private HttpClient Anonymous(string? address)
    {
        var client = app.CreateClient();
        if (address is not null) client.DefaultRequestHeaders.Add(ClientAddressHeader, address);
        return client;
    }

    [Test]
    public async Task Same_user_twice_counts_once_and_again_after_30_minutes()
    {
        var author = await app.CreateUserAsync();
        var viewer = await app.CreateUserAsync();
        var id = await app.SeedVideoAsync(author);

        Assert.That((await viewer.Client.PostAsync($"/api/videos/{id}/views", null)).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((await viewer.Client.PostAsync($"/api/videos/{id}/views", null)).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await ViewsAsync(id), Is.EqualTo(1));

        app.Clock.Advance(TimeSpan.FromMinutes(29));
        await viewer.Client.PostAsync($"/api/videos/{id}/views", null);
        Assert.That(await ViewsAsync(id), Is.EqualTo(1), "still inside the window of the counted view");

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await viewer.Client.PostAsync($"/api/videos/{id}/views", null)).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await ViewsAsync(id), Is.EqualTo(2));

        var read = await (await app.CreateClient().GetAsync($"/api/videos/{id}")).JsonAsync();
        Assert.That(read.GetProperty("views_count").GetInt64(), Is.EqualTo(2));
    }

    [Test]
    public async Task Different_users_count_separately()
    {
        var author = await app.CreateUserAsync();
        var id = await app.SeedVideoAsync(author);
        foreach (var _ in Enumerable.Range(0, 3))
            await (await app.CreateUserAsync()).Client.PostAsync($"/api/videos/{id}/views", null);
        Assert.That(await ViewsAsync(id), Is.EqualTo(3));
    }

    [Test]
    public async Task Anonymous_viewers_are_told_apart_by_client_address()
    {
        var author = await app.CreateUserAsync();
        var id = await app.SeedVideoAsync(author);

        await Anonymous("203.0.113.1").PostAsync($"/api/videos/{id}/views", null);
        await Anonymous("203.0.113.1").PostAsync($"/api/videos/{id}/views", null);
        await Anonymous("203.0.113.2").PostAsync($"/api/videos/{id}/views", null);
        await Anonymous("2001:db8::1").PostAsync($"/api/videos/{id}/views", null);
        Assert.That(await ViewsAsync(id), Is.EqualTo(3));

        await using var conn = app.OpenConnection();
        var keys = await conn.QueryAsync<string>("SELECT viewer_key FROM video_views WHERE video_id = @id", new { id });
        Assert.That(keys, Is.EquivalentTo(ExpectedKeys));
    }

    [Test]
    public async Task Without_a_client_address_anonymous_views_share_one_unknown_viewer()
    {
        var author = await app.CreateUserAsync();
        var id = await app.SeedVideoAsync(author);
        await Anonymous(null).PostAsync($"/api/videos/{id}/views", null);
        await Anonymous(null).PostAsync($"/api/videos/{id}/views", null);
        Assert.That(await ViewsAsync(id), Is.EqualTo(1));
        await using var conn = app.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT viewer_key FROM video_views WHERE video_id = @id", new { id }), Is.EqualTo("a:unknown"));
    }

    [Test]
    public async Task Concurrent_duplicate_views_count_once()
    {
        var author = await app.CreateUserAsync();
        var viewer = await app.CreateUserAsync();
        var id = await app.SeedVideoAsync(author);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => viewer.Client.PostAsync($"/api/videos/{id}/views", null)));

        Assert.That(statuses.Select(s => s.StatusCode), Is.All.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await ViewsAsync(id), Is.EqualTo(1));
    }

    [Test]
    public async Task Views_of_expired_or_unknown_videos_are_404_and_not_recorded()
    {
        var author = await app.CreateUserAsync();
        var expired = await app.SeedVideoAsync(author, expiresAt: app.Clock.GetUtcNow().AddSeconds(-1));
        await (await author.Client.PostAsync($"/api/videos/{expired}/views", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Anonymous("198.51.100.7").PostAsync($"/api/videos/{Guid.NewGuid()}/views", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.That(await ViewsAsync(expired), Is.Zero);
        await using var conn = app.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM video_views WHERE video_id = @expired", new { expired }), Is.Zero);
    }

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, nextMiddleware) =>
            {
                if (ctx.Request.Headers.TryGetValue(ClientAddressHeader, out var value))
                    ctx.Connection.RemoteIpAddress = IPAddress.Parse(value.ToString());
                return nextMiddleware(ctx);
            });
            next(app);
        };
    }
}
