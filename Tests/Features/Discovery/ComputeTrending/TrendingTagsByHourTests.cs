using Dapper;
using IgLive.Service.Features.Discovery.ComputeTrending;
using IgLive.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Features.Discovery.ComputeTrending;

/// <summary>
/// Trending tags from per-hour counts (migration 0210): whatever changes a video's visibility or tags inside an hour
/// already counted is seen by the next run, and every run publishes what the full aggregation of the last 24 h of
/// uploads (the job's former statement, kept here as the reference) would.
/// </summary>
[TestFixture]
public sealed class TrendingTagsByHourTests : ServiceFixture
{
    // The former trending-tags statement: every tag row of the last 24 h joined to its visible video.
    private const string FullAggregation = """
        SELECT t.tag, count(*) AS videos_count
        FROM video_tags t JOIN videos v ON v.id = t.video_id
        WHERE t.created_at > @Now - interval '24 hours' AND t.created_at <= @Now
          AND v.expires_at > @Now AND v.status = 'ready' AND v.removed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL)
        GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT 50
        """;

    private async Task<Dictionary<string, long>> RunAndReadAsync()
    {
        await App.Services.GetRequiredService<ComputeTrendingRunner>().RunAsync(CancellationToken.None);
        await using var conn = App.OpenConnection();
        var published = (await conn.QueryAsync<(string Tag, long VideosCount)>("SELECT tag, videos_count FROM trending_tags ORDER BY videos_count DESC, tag")).ToList();
        var reference = (await conn.QueryAsync<(string Tag, long VideosCount)>(FullAggregation, new { Now = App.Clock.GetUtcNow() })).ToList();
        Assert.That(published, Is.EqualTo(reference), "the per-hour counts add up to the full aggregation");
        var api = (await App.CreateClient().GetJsonAsync("/api/tags/trending?limit=50")).GetProperty("items").EnumerateArray()
            .ToDictionary(t => t.GetProperty("tag").GetString()!, t => t.GetProperty("videos_count").GetInt64());
        return api;
    }

    [Test]
    public async Task Counted_hours_follow_removal_expiry_suspension_tag_edits_and_deletion()
    {
        var author = await App.CreateUserAsync();
        var other = await App.CreateUserAsync();
        var (x, y, z) = (DiscoveryData.Word(), DiscoveryData.Word(), DiscoveryData.Word());
        var now = App.Clock.GetUtcNow();
        var fiveHoursAgo = now.AddHours(-5);
        var removed = await App.VideoAsync(author, "x1", tags: [x], createdAt: fiveHoursAgo);
        var expiring = await App.VideoAsync(author, "x2", tags: [x], createdAt: fiveHoursAgo.AddMinutes(1), expiresAt: now.AddHours(1));
        var edited = await App.VideoAsync(author, "x3", tags: [x], createdAt: fiveHoursAgo.AddMinutes(2));
        var deleted = await App.VideoAsync(author, "x4", tags: [x], createdAt: fiveHoursAgo.AddMinutes(3));
        for (var i = 0; i < 2; i++) await App.VideoAsync(other, $"y{i}", tags: [y], createdAt: fiveHoursAgo.AddMinutes(4));
        await App.VideoAsync(author, "x now", tags: [x]); // the current hour, counted live

        var first = await RunAndReadAsync();
        await using var conn = App.OpenConnection();
        var stored = await conn.ExecuteScalarAsync<long>("SELECT coalesce(sum(videos), 0) FROM trending_tag_hours WHERE tag = @x", new { x });
        await App.ExecAsync("UPDATE videos SET removed_at = @at WHERE id = @removed", new { at = now, removed });
        var afterRemoval = await RunAndReadAsync();
        await App.ExecAsync("UPDATE videos SET tags = @tags WHERE id = @edited", new { tags = new[] { z }, edited });
        await App.ExecAsync("DELETE FROM videos WHERE id = @deleted", new { deleted });
        var afterEdits = await RunAndReadAsync();
        App.Clock.Advance(TimeSpan.FromHours(2)); // `expiring` expires; nothing touched its row
        var afterExpiry = await RunAndReadAsync();
        await App.ExecAsync("UPDATE profiles SET suspended_at = @at WHERE id = @id", new { at = App.Clock.GetUtcNow(), id = other.Id });
        var suspended = await RunAndReadAsync();
        await App.ExecAsync("UPDATE profiles SET suspended_at = NULL WHERE id = @id", new { id = other.Id });
        var reinstated = await RunAndReadAsync();
        App.Clock.Advance(TimeSpan.FromHours(17.5)); // the five-hour-old videos are now 24.5 h old
        var left = await RunAndReadAsync();

        Assert.That((first[x], first[y]), Is.EqualTo((5L, 2L)));
        Assert.That(stored, Is.EqualTo(4), "the closed hour's counts are kept, not aggregated again");
        Assert.That(afterRemoval[x], Is.EqualTo(4));
        Assert.That((afterEdits[x], afterEdits[z]), Is.EqualTo((2L, 1L)));
        Assert.That(afterExpiry[x], Is.EqualTo(1));
        Assert.That(suspended, Does.Not.ContainKey(y));
        Assert.That(reinstated[y], Is.EqualTo(2));
        Assert.That((left[x], left.ContainsKey(y), left.ContainsKey(z)), Is.EqualTo((1L, false, false)), "only the video of the run's first hour is left");
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM trending_tag_dirty"), Is.Zero, "every run consumes the dirty hours");
    }

    [Test]
    public async Task An_hour_counted_at_a_later_clock_is_counted_again()
    {
        var author = await App.CreateUserAsync();
        var w = DiscoveryData.Word();
        var now = App.Clock.GetUtcNow();
        await App.VideoAsync(author, "w", tags: [w], createdAt: now.AddHours(-3), expiresAt: now.AddHours(30));
        await RunAndReadAsync();
        // As if another instance with a clock ahead had counted the hour: the counts must not be trusted at this clock.
        await App.ExecAsync("UPDATE trending_tag_hours_counted SET computed_at = computed_at + interval '1 day'");
        await App.ExecAsync("UPDATE trending_tag_hours SET videos = videos + 100 WHERE tag = @w", new { w });

        var tags = await RunAndReadAsync();

        Assert.That(tags[w], Is.EqualTo(1));
    }
}
