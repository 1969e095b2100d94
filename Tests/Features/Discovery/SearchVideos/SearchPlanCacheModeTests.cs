using Dapper;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IgLive.Service.Tests.Features.Discovery.SearchVideos;

/// <summary>
/// A one-word search runs its auto-prepared statement with the generic plan from the first prepared execution
/// (PostgreSQL on its own kept planning it anew every time: its generic cost estimate looks dearer than the custom
/// plans'), a several-word search is planned for its words every time, and the plan_cache_mode each sets for its
/// statement is gone from the connection afterwards. Observed on the
/// service's one pooled connection (pool size 1) through pg_prepared_statements, which is per session.
/// </summary>
[TestFixture]
public sealed class SearchPlanCacheModeTests
{
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var cs = await PostgresFixture.CreateDatabaseAsync();
        app = await ServiceFactory.CreateAsync(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = cs + ";Maximum Pool Size=1" },
            connectionString: cs);
    }

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private sealed record PlanCounts(long GenericPlans, long CustomPlans);

    /// <summary>The plan counts of the service connection's prepared statements whose text contains <paramref name="marker"/>, and its plan_cache_mode.</summary>
    private async Task<(List<PlanCounts> Plans, string Mode)> ServiceSessionAsync(string marker)
    {
        await using var conn = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var plans = (await conn.QueryAsync<PlanCounts>(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%' || @marker || '%' AND statement NOT LIKE '%pg_prepared_statements%'",
            new { marker })).AsList();
        return (plans, await conn.QuerySingleAsync<string>("SELECT current_setting('plan_cache_mode')"));
    }

    [Test]
    public async Task A_one_word_search_runs_its_generic_plan_and_leaves_the_connections_plan_mode_alone()
    {
        var user = await app.CreateUserAsync();
        var word = DiscoveryData.Word();
        var video = await app.VideoAsync(user, $"{word} clip");
        var client = app.CreateClient();
        for (var i = 0; i < 4; i++)
            Assert.That((await client.GetJsonAsync($"/api/videos/search?limit=20&q={word}")).Ids(), Is.EqualTo(new[] { video }));

        var (plans, mode) = await ServiceSessionAsync("search_postings");
        // Auto-prepared from an early use (Npgsql's AutoPrepareMinUsages): every prepared execution generic.
        Assert.That(plans, Has.Count.EqualTo(1));
        Assert.That(plans[0].CustomPlans, Is.Zero);
        Assert.That(plans[0].GenericPlans, Is.GreaterThanOrEqualTo(2));
        Assert.That(mode, Is.EqualTo("auto"), "the statement's setting ends with its batch");
    }

    [Test]
    public async Task A_several_word_search_is_planned_for_its_words_every_time()
    {
        var user = await app.CreateUserAsync();
        var (a, b) = (DiscoveryData.Word(), DiscoveryData.Word());
        var video = await app.VideoAsync(user, $"{a} {b} clip");
        var client = app.CreateClient();
        for (var i = 0; i < 8; i++)
            Assert.That((await client.GetJsonAsync($"/api/videos/search?limit=20&q={a}+{b}")).Ids(), Is.EqualTo(new[] { video }));

        var (plans, mode) = await ServiceSessionAsync("search_doc @@");
        // Past the five custom plans after which PostgreSQL would otherwise settle on a generic one.
        Assert.That(plans, Has.Count.EqualTo(1));
        Assert.That(plans[0].GenericPlans, Is.Zero);
        Assert.That(plans[0].CustomPlans, Is.GreaterThanOrEqualTo(6));
        Assert.That(mode, Is.EqualTo("auto"));
    }

    [Test]
    public async Task Later_pages_with_and_without_carried_completions_share_one_prepared_generic_statement()
    {
        var user = await app.CreateUserAsync();
        var word = DiscoveryData.Word();
        var letter = ((char)('a' + Random.Shared.Next(26))).ToString();
        for (var i = 0; i < 3; i++)
        {
            await app.VideoAsync(user, $"{word}{i} clip");
            await app.VideoAsync(user, $"{letter} {word} clip {i}");
        }
        var client = app.CreateClient();
        // A prefix's pages carry its completions (a typed text[]); a one-letter word's carry none (an empty one). Had the
        // second been an untyped null, the prepared statement's parameter types would differ and those pages run unprepared.
        var nextPages = 0;
        for (var round = 0; round < 3; round++)
            foreach (var q in new[] { word, letter })
            {
                var ids = await client.WalkAsync($"/api/videos/search?limit=1&q={q}");
                Assert.That(ids, Has.Count.GreaterThanOrEqualTo(3));
                nextPages += ids.Count - 1;
            }

        var (plans, _) = await ServiceSessionAsync("AS c (lexeme)");
        Assert.That(plans, Has.Count.EqualTo(1));
        Assert.That(plans[0].CustomPlans, Is.Zero);
        // Every later page but the first two (Npgsql prepares a statement on its second use here) ran it.
        Assert.That(plans[0].GenericPlans, Is.GreaterThanOrEqualTo(nextPages - 2));
    }
}
