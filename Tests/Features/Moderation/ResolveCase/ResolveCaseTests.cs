using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;
using Npgsql;

namespace IgLive.Service.Tests.Features.Moderation.ResolveCase;

[TestFixture]
public sealed class ResolveCaseTests : ServiceFixture
{
    [Test]
    public async Task Dismissing_closes_the_case_changes_nothing_else_and_is_in_the_audit_log()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(author);
        var @case = await reporter.ReportedCaseAsync(moderator, "video", video);

        var resolved = await moderator.ResolveAsync(@case, "dismiss", "not spam");

        Assert.Multiple(() =>
        {
            Assert.That(resolved.GetProperty("status").GetString(), Is.EqualTo("resolved"));
            Assert.That(resolved.GetProperty("resolution").GetProperty("action").GetString(), Is.EqualTo("dismiss"));
            Assert.That(resolved.GetProperty("resolution").GetProperty("note").GetString(), Is.EqualTo("not spam"));
            Assert.That(resolved.GetProperty("resolution").GetProperty("moderator").GetString(), Is.EqualTo(moderator.Username));
        });
        await (await App.CreateClient(null).GetAsync($"/api/videos/{video}")).JsonAsync();
        var entry = await LatestActionAsync(moderator, @case);
        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("action").GetString(), Is.EqualTo("dismiss"));
            Assert.That(entry.GetProperty("moderator").GetString(), Is.EqualTo(moderator.Username));
            Assert.That(entry.GetProperty("moderator_id").GetGuid(), Is.EqualTo(moderator.Id));
            Assert.That(entry.GetProperty("target_type").GetString(), Is.EqualTo("video"));
            Assert.That(entry.GetProperty("target_id").GetGuid(), Is.EqualTo(video));
            Assert.That(entry.GetProperty("note").GetString(), Is.EqualTo("not spam"));
        });
    }

    [Test]
    public async Task Removing_a_video_marks_it_removed_and_queues_its_files_for_deletion()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(author);
        var @case = await reporter.ReportedCaseAsync(moderator, "video", video);

        var resolved = await moderator.ResolveAsync(@case, "remove");

        Assert.That(resolved.GetProperty("resolution").GetProperty("action").GetString(), Is.EqualTo("remove"));
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<bool>("SELECT removed_at IS NOT NULL FROM videos WHERE id = @video", new { video }), Is.True);
        var queued = (await conn.QueryAsync<string>("SELECT reason FROM storage_deletions WHERE video_id = @video", new { video })).ToList();
        Assert.That(queued, Is.EqualTo(new[] { "moderator_removed" }));
        Assert.That((await LatestActionAsync(moderator, @case)).GetProperty("action").GetString(), Is.EqualTo("remove"));
        // A removed video cannot be reported again.
        await (await (await App.CreateUserAsync()).ReportAsync("video", video)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Removing_a_video_that_has_a_media_job_cancels_the_job()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(author);
        var @case = await reporter.ReportedCaseAsync(moderator, "video", video);
        await using var conn = App.OpenConnection();
        await conn.ExecuteAsync("INSERT INTO media_jobs (video_id) VALUES (@video)", new { video });

        await moderator.ResolveAsync(@case, "remove");

        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM media_jobs WHERE video_id = @video", new { video }), Is.Zero);
        Assert.That(await conn.ExecuteScalarAsync<bool>("SELECT removed_at IS NOT NULL FROM videos WHERE id = @video", new { video }), Is.True);
    }

    [Test]
    public async Task Removing_a_comment_deletes_it_with_its_count_and_the_case_keeps_its_text()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(await App.CreateUserAsync());
        var comment = await App.SeedCommentAsync(author, video, "offensive");
        await App.SeedCommentAsync(author, video, "fine");
        var @case = await reporter.ReportedCaseAsync(moderator, "comment", comment);

        var resolved = await moderator.ResolveAsync(@case, "remove");

        Assert.That(resolved.GetProperty("target").GetProperty("text").GetString(), Is.EqualTo("offensive"));
        var comments = await (await App.CreateClient(null).GetAsync($"/api/videos/{video}/comments")).JsonAsync();
        Assert.That(comments.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()), Does.Not.Contain(comment));
        await using var conn = App.OpenConnection();
        Assert.That(await conn.QuerySingleAsync<(long, long)>(
            "SELECT comments_count, (SELECT count(*) FROM video_comments WHERE video_id = v.id) FROM videos v WHERE id = @video", new { video }),
            Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task Suspending_the_author_sets_the_suspension_and_logs_it()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var comment = await App.SeedCommentAsync(author, await App.SeedVideoAsync(reporter));
        var @case = await reporter.ReportedCaseAsync(moderator, "comment", comment, "harassment");

        await moderator.ResolveAsync(@case, "suspend_author", "repeated harassment");

        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<bool>("SELECT suspended_at IS NOT NULL FROM profiles WHERE id = @id", new { id = author.Id }), Is.True);
        var entry = await LatestActionAsync(moderator, @case);
        Assert.That(entry.GetProperty("action").GetString(), Is.EqualTo("suspend_author"));
        await (await author.Client.PostAsJsonAsync($"/api/videos/{await App.SeedVideoAsync(reporter)}/comments", new { text = "again" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_resolved_case_cannot_be_resolved_again_and_a_new_report_opens_a_new_case()
    {
        var (author, reporter, moderator) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var video = await App.SeedVideoAsync(author);
        var @case = await reporter.ReportedCaseAsync(moderator, "video", video);
        await moderator.ResolveAsync(@case, "dismiss");

        var again = await moderator.Client.PostAsJsonAsync($"/api/moderation/cases/{@case.GetProperty("id").GetGuid()}/resolve", new { action = "remove" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        var second = await (await App.CreateUserAsync()).ReportedCaseAsync(moderator, "video", video, "nudity");

        Assert.That(second.GetProperty("id").GetGuid(), Is.Not.EqualTo(@case.GetProperty("id").GetGuid()));
        Assert.That(second.GetProperty("reports_count").GetInt32(), Is.EqualTo(1));
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<bool>("SELECT removed_at IS NULL FROM videos WHERE id = @video", new { video }), Is.True);
    }

    [Test]
    public async Task Bad_resolutions_are_refused_and_leave_no_audit_entry()
    {
        var (reporter, moderator) = (await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var user = await App.CreateUserAsync();
        var @case = await reporter.ReportedCaseAsync(moderator, "user", user.Id);
        var id = @case.GetProperty("id").GetGuid();

        await (await moderator.Client.PostAsJsonAsync($"/api/moderation/cases/{id}/resolve", new { action = "remove" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var invalid = await (await moderator.Client.PostAsJsonAsync($"/api/moderation/cases/{id}/resolve", new { action = "ban" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(invalid.FieldErrors("action"), Is.Not.Empty);
        await (await moderator.Client.PostAsJsonAsync($"/api/moderation/cases/{Guid.NewGuid()}/resolve", new { action = "dismiss" })).AssertProblemAsync(HttpStatusCode.NotFound);

        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM moderation_actions WHERE case_id = @id", new { id }), Is.Zero);
        Assert.That((await moderator.OpenCaseOfAsync(user.Id)).GetProperty("status").GetString(), Is.EqualTo("open"));
    }

    [Test]
    public async Task The_audit_log_refuses_updates_and_deletes_in_the_database()
    {
        var (reporter, moderator) = (await App.CreateUserAsync(), await App.CreateModeratorAsync());
        var @case = await reporter.ReportedCaseAsync(moderator, "user", (await App.CreateUserAsync()).Id);
        await moderator.ResolveAsync(@case, "dismiss");

        await using var conn = App.OpenConnection();
        var id = @case.GetProperty("id").GetGuid();
        Assert.That(async () => await conn.ExecuteAsync("UPDATE moderation_actions SET note = 'rewritten' WHERE case_id = @id", new { id }),
            Throws.InstanceOf<PostgresException>().With.Message.Contains("append-only"));
        Assert.That(async () => await conn.ExecuteAsync("DELETE FROM moderation_actions WHERE case_id = @id", new { id }),
            Throws.InstanceOf<PostgresException>().With.Message.Contains("append-only"));
        Assert.That(async () => await conn.ExecuteAsync("TRUNCATE moderation_actions CASCADE"),
            Throws.InstanceOf<PostgresException>().With.Message.Contains("append-only"));
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM moderation_actions WHERE case_id = @id AND note IS NULL", new { id }), Is.EqualTo(1));
    }

    [Test]
    public async Task The_audit_log_pages_newest_first_and_shows_the_service_role()
    {
        var reporter = await App.CreateUserAsync();
        var service = App.CreateClient(App.ServiceRoleToken());
        var moderator = await App.CreateModeratorAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var @case = await reporter.ReportedCaseAsync(moderator, "user", (await App.CreateUserAsync()).Id);
            ids.Add(@case.GetProperty("id").GetGuid());
            await (await service.PostAsJsonAsync($"/api/moderation/cases/{ids[^1]}/resolve", new { action = "dismiss" })).JsonAsync();
        }

        var first = await (await service.GetAsync("/api/moderation/actions?limit=2")).JsonAsync();
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await (await service.GetAsync($"/api/moderation/actions?limit=2&cursor={cursor}")).JsonAsync();
        var seen = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Where(a => a.GetProperty("case_id").ValueKind == JsonValueKind.String).ToList();

        Assert.That(seen.Take(3).Select(a => a.GetProperty("case_id").GetGuid()), Is.EqualTo(Enumerable.Reverse(ids)));
        Assert.That(seen.Take(3).Select(a => a.GetProperty("moderator").GetString()), Is.All.EqualTo("service_role"));
        await (await service.GetAsync("/api/moderation/actions?cursor=nope")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static async Task<JsonElement> LatestActionAsync(TestUser moderator, JsonElement @case)
    {
        var page = await (await moderator.Client.GetAsync("/api/moderation/actions?limit=50")).JsonAsync();
        var id = @case.GetProperty("id").GetGuid();
        return page.GetProperty("items").EnumerateArray().First(a => a.GetProperty("case_id").ValueKind == JsonValueKind.String
                                                                     && a.GetProperty("case_id").GetGuid() == id);
    }
}
