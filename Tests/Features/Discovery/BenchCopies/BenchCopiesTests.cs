using System.Text.RegularExpressions;
using IgLive.Service.Features.Discovery.ComputeTrending;
using IgLive.Service.Features.Discovery.ListTagVideos;
using IgLive.Service.Features.Discovery.TrendingVideos;

namespace IgLive.Service.Tests.Features.Discovery.BenchCopies;

/// <summary>
/// bench/discovery's pgbench and psql scripts are copies of SQL constants with the endpoints' parameters written in
/// (pgbench cannot bind Dapper's names). Each copy is checked here against the constant rendered with the same values,
/// whitespace aside, so a changed constant fails this test until its copy is re-made (the failure prints the rendering).
/// </summary>
[TestFixture]
public sealed partial class BenchCopiesTests
{
    private static readonly string Bench = Path.Combine(FindRepoRoot(), "bench", "discovery");

    private static readonly Dictionary<string, string> AnonymousFirstPage = new()
    {
        ["Now"] = "now()", ["Viewer"] = "NULL::uuid", ["Take"] = "21", ["Tag"] = ":tag",
    };

    // bench/discovery/explain.sql: psql variables it \gset from the seed, a cursor deep in the list.
    private static readonly Dictionary<string, string> ExplainNextPage = new()
    {
        ["Now"] = "now()", ["Viewer"] = "NULL::uuid", ["Take"] = "21", ["Tag"] = ":'top_tag'",
        ["CursorAt"] = "(now() - interval '3 days')", ["CursorId"] = "'ffffffff-ffff-4fff-bfff-ffffffffffff'::uuid", ["CursorScore"] = ":'mid_score'",
    };

    private static readonly Dictionary<string, string> TrendingRun = new()
    {
        ["Now"] = "now()", ["Since"] = "(now() - interval '48 hours')", ["HalfLifeSeconds"] = "21600", ["Size"] = "1000",
        ["Epoch"] = "date_trunc('hour', now(), 'UTC')", ["CurrentHour"] = "date_trunc('hour', now(), 'UTC')",
        ["WindowStartHour"] = "date_trunc('hour', now() - interval '24 hours', 'UTC')", ["LastRun"] = "(SELECT last_run_at FROM last_run)", ["LockKey"] = ComputeTrendingSql.RunLockKey.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static IEnumerable<TestCaseData> Copies()
    {
        yield return new TestCaseData("pgbench_trending.sql", TrendingVideosSql.FirstAnonymous, AnonymousFirstPage).SetName("pgbench_trending_sql_is_TrendingVideosSql_FirstAnonymous");
        yield return new TestCaseData("pgbench_tag.sql", ListTagVideosSql.FirstAnonymous, AnonymousFirstPage).SetName("pgbench_tag_sql_is_ListTagVideosSql_FirstAnonymous");
        yield return new TestCaseData("explain.sql", ListTagVideosSql.FirstAnonymous, ExplainNextPage).SetName("explain_sql_has_ListTagVideosSql_FirstAnonymous");
        yield return new TestCaseData("explain.sql", ListTagVideosSql.NextAnonymous, ExplainNextPage).SetName("explain_sql_has_ListTagVideosSql_NextAnonymous");
        yield return new TestCaseData("explain.sql", TrendingVideosSql.FirstAnonymous, ExplainNextPage).SetName("explain_sql_has_TrendingVideosSql_FirstAnonymous");
        yield return new TestCaseData("explain.sql", TrendingVideosSql.NextAnonymous, ExplainNextPage).SetName("explain_sql_has_TrendingVideosSql_NextAnonymous");
        yield return new TestCaseData("compute_trending.sql", ComputeTrendingSql.Run, TrendingRun).SetName("compute_trending_sql_has_ComputeTrendingSql_Run");
        yield return new TestCaseData("compute_trending.sql", ComputeTrendingSql.Tags, TrendingRun).SetName("compute_trending_sql_has_ComputeTrendingSql_Tags");
    }

    [TestCaseSource(nameof(Copies))]
    public void Bench_copy_matches_the_constant(string file, string constant, Dictionary<string, string> values)
    {
        var rendered = Render(constant, values);
        var copy = File.ReadAllText(Path.Combine(Bench, file));
        var fresh = Path.Combine(Path.GetTempPath(), "iglive-bench-copies", TestContext.CurrentContext.Test.Name + ".sql");
        Directory.CreateDirectory(Path.GetDirectoryName(fresh)!);
        File.WriteAllText(fresh, rendered + ";\n");

        Assert.That(Normalise(copy), Does.Contain(Normalise(rendered)),
            $"bench/discovery/{file} is not a copy of the constant any more; re-copy the statement from {fresh}");
    }

    [Test]
    public void Rendering_refuses_a_parameter_it_has_no_value_for()
        => Assert.That(() => Render("SELECT @Unknown", AnonymousFirstPage), Throws.InstanceOf<AssertionException>());

    /// <summary>The constant with each <c>@Name</c> replaced by its value, as Dapper binds them; an unknown name fails.</summary>
    internal static string Render(string sql, IReadOnlyDictionary<string, string> values)
        => Parameter().Replace(sql, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v : throw new AssertionException($"no bench value for @{m.Groups[1].Value}"));

    private static string Normalise(string sql) => Whitespace().Replace(sql, " ").Trim();

    [GeneratedRegex(@"(?<![\w@])@(\w+)")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IgLive.Service.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
