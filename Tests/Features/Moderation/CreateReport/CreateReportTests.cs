using System.Net;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Moderation.CreateReport;

[TestFixture]
public sealed class CreateReportTests : ServiceFixture
{
    [Test]
    public async Task A_report_opens_a_case_with_a_snapshot_of_the_target()
    {
        var author = await App.CreateUserAsync();
        var reporter = await App.CreateUserAsync();
        var moderator = await App.CreateModeratorAsync();
        var video = await App.SeedVideoAsync(author, title: "before edit");

        var report = await (await reporter.ReportAsync("video", video, "violence", "  graphic  ")).JsonAsync(HttpStatusCode.Created);
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("UPDATE videos SET title = 'after edit' WHERE id = @video", new { video });
        var @case = await moderator.OpenCaseOfAsync(video);

        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("status").GetString(), Is.EqualTo("open"));
            Assert.That(report.GetProperty("note").GetString(), Is.EqualTo("graphic"));
            Assert.That(@case.GetProperty("target_type").GetString(), Is.EqualTo("video"));
            Assert.That(@case.GetProperty("target").GetProperty("title").GetString(), Is.EqualTo("before edit"), "snapshot at report time");
            Assert.That(@case.GetProperty("target").GetProperty("username").GetString(), Is.EqualTo(author.Username));
            Assert.That(@case.GetProperty("reports_count").GetInt32(), Is.EqualTo(1));
            Assert.That(@case.GetProperty("reasons").GetProperty("violence").GetInt32(), Is.EqualTo(1));
            Assert.That(@case.GetProperty("status").GetString(), Is.EqualTo("open"));
            Assert.That(@case.GetProperty("resolution").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        });
    }

    [Test]
    public async Task A_second_report_of_the_same_target_by_the_same_reporter_is_the_same_report()
    {
        var author = await App.CreateUserAsync();
        var reporter = await App.CreateUserAsync();
        var other = await App.CreateUserAsync();
        var moderator = await App.CreateModeratorAsync();
        var video = await App.SeedVideoAsync(author);

        var first = await (await reporter.ReportAsync("video", video, "spam")).JsonAsync(HttpStatusCode.Created);
        var again = await (await reporter.ReportAsync("video", video, "hate")).JsonAsync(HttpStatusCode.OK);
        await (await other.ReportAsync("video", video, "hate")).JsonAsync(HttpStatusCode.Created);
        var @case = await moderator.OpenCaseOfAsync(video);

        Assert.Multiple(() =>
        {
            Assert.That(again.GetProperty("id").GetGuid(), Is.EqualTo(first.GetProperty("id").GetGuid()));
            Assert.That(again.GetProperty("reason").GetString(), Is.EqualTo("spam"), "the first report stands");
            Assert.That(@case.GetProperty("reports_count").GetInt32(), Is.EqualTo(2));
            Assert.That(@case.GetProperty("reasons").GetProperty("spam").GetInt32(), Is.EqualTo(1));
            Assert.That(@case.GetProperty("reasons").GetProperty("hate").GetInt32(), Is.EqualTo(1));
        });
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM reports WHERE target_id = @video", new { video }), Is.EqualTo(2));
    }

    [Test]
    public async Task Concurrent_reports_of_one_target_make_one_case_with_exact_counts()
    {
        var author = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(author);
        var reporters = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => App.CreateUserAsync()));

        var answers = await Task.WhenAll(reporters.SelectMany(r => new[] { r.ReportAsync("video", video), r.ReportAsync("video", video) }));

        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.Created), Is.EqualTo(12));
        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.OK), Is.EqualTo(12));
        await using var conn = App.OpenConnection();
        var cases = (await conn.QueryAsync<int>("SELECT reports_count FROM moderation_cases WHERE target_id = @video", new { video })).ToList();
        Assert.That(cases, Is.EqualTo(new[] { 12 }));
    }

    [Test]
    public async Task Past_20_reports_a_day_a_reporter_gets_429_with_retry_after()
    {
        var author = await App.CreateUserAsync();
        var reporter = await App.CreateUserAsync();
        var videos = new List<Guid>();
        for (var i = 0; i < 21; i++) videos.Add(await App.SeedVideoAsync(author));

        for (var i = 0; i < 20; i++) await (await reporter.ReportAsync("video", videos[i])).JsonAsync(HttpStatusCode.Created);
        var refused = await reporter.ReportAsync("video", videos[20]);
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(retryAfter, Is.InRange(1, 86_400));
        await (await reporter.ReportAsync("video", videos[0])).JsonAsync(HttpStatusCode.OK); // a repeat is not a new report

        // A day later (moving the reports back rather than the clock, which would expire every token of the fixture).
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("UPDATE reports SET created_at = created_at - interval '1 day' WHERE reporter_id = @id", new { id = reporter.Id });
        await (await reporter.ReportAsync("video", videos[20])).JsonAsync(HttpStatusCode.Created);
    }

    [Test]
    public async Task Reporting_your_own_video_comment_or_self_is_400()
    {
        var me = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(me);
        var comment = await App.SeedCommentAsync(me, video);

        await (await me.ReportAsync("video", video)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await me.ReportAsync("comment", comment)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await me.ReportAsync("user", me.Username)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await me.ReportAsync("user", me.Id)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM reports WHERE reporter_id = @id", new { id = me.Id }), Is.Zero);
    }

    [Test]
    public async Task Unknown_expired_or_removed_targets_are_404()
    {
        var author = await App.CreateUserAsync();
        var reporter = await App.CreateUserAsync();
        var expired = await App.SeedVideoAsync(author, expiresAt: App.Clock.GetUtcNow().AddMinutes(-1));
        var removed = await App.SeedVideoAsync(author);
        await using (var conn = App.OpenConnection())
            await conn.ExecuteAsync("UPDATE videos SET removed_at = now() WHERE id = @removed", new { removed });

        await (await reporter.ReportAsync("video", Guid.NewGuid())).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await reporter.ReportAsync("video", expired)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await reporter.ReportAsync("video", removed)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await reporter.ReportAsync("comment", Guid.NewGuid())).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await reporter.ReportAsync("user", "nobody_" + Guid.NewGuid().ToString("N")[..8])).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task What_the_reporter_cannot_see_cannot_be_reported()
    {
        var (author, reporter, blocker) = (await App.CreateUserAsync(), await App.CreateUserAsync(), await App.CreateUserAsync());
        var video = await App.SeedVideoAsync(author);
        var comment = await App.SeedCommentAsync(blocker, video);
        var suspended = await App.CreateUserAsync();
        var hidden = await App.SeedVideoAsync(suspended);
        await using (var conn = App.OpenConnection())
        {
            await conn.ExecuteAsync("INSERT INTO user_blocks (blocker_id, blocked_id) VALUES (@a, @b)", new { a = blocker.Id, b = reporter.Id });
            await conn.ExecuteAsync("UPDATE profiles SET suspended_at = now() WHERE id = @id", new { id = suspended.Id });
        }

        await (await reporter.ReportAsync("user", blocker.Username)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await reporter.ReportAsync("comment", comment)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await reporter.ReportAsync("video", hidden)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await reporter.ReportAsync("video", video)).JsonAsync(HttpStatusCode.Created);
    }

    [Test]
    public async Task A_user_is_reported_by_username_and_a_comment_by_id()
    {
        var author = await App.CreateUserAsync();
        var reporter = await App.CreateUserAsync();
        var moderator = await App.CreateModeratorAsync();
        var video = await App.SeedVideoAsync(author, title: "the video");
        var comment = await App.SeedCommentAsync(author, video, "rude words");

        await (await reporter.ReportAsync("user", author.Username.ToUpperInvariant(), "harassment")).JsonAsync(HttpStatusCode.Created);
        await (await reporter.ReportAsync("comment", comment, "harassment")).JsonAsync(HttpStatusCode.Created);
        var userCase = await moderator.OpenCaseOfAsync(author.Id);
        var commentCase = await moderator.OpenCaseOfAsync(comment);

        Assert.Multiple(() =>
        {
            Assert.That(userCase.GetProperty("target_type").GetString(), Is.EqualTo("user"));
            Assert.That(userCase.GetProperty("target").GetProperty("username").GetString(), Is.EqualTo(author.Username));
            Assert.That(commentCase.GetProperty("target").GetProperty("text").GetString(), Is.EqualTo("rude words"));
            Assert.That(commentCase.GetProperty("target").GetProperty("video_id").GetGuid(), Is.EqualTo(video));
        });
    }

    [Test]
    public async Task Bad_input_is_a_validation_problem()
    {
        var reporter = await App.CreateUserAsync();

        var badType = await (await reporter.ReportAsync("planet", Guid.NewGuid())).AssertProblemAsync(HttpStatusCode.BadRequest);
        var badReason = await (await reporter.ReportAsync("video", Guid.NewGuid(), "boring")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var badId = await (await reporter.ReportAsync("video", "not-an-id")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var longNote = await (await reporter.ReportAsync("video", Guid.NewGuid(), note: new string('x', 1001))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Multiple(() =>
        {
            Assert.That(badType.FieldErrors("target_type"), Is.Not.Empty);
            Assert.That(badReason.FieldErrors("reason"), Is.Not.Empty);
            Assert.That(badId.FieldErrors("target_id"), Is.Not.Empty);
            Assert.That(longNote.FieldErrors("note"), Is.Not.Empty);
        });
        await (await App.CreateClient(null).PostAsync("/api/reports", null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Reports_alone_never_hide_anything()
    {
        var author = await App.CreateUserAsync();
        var video = await App.SeedVideoAsync(author);
        var reporters = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => App.CreateUserAsync()));
        foreach (var r in reporters) await (await r.ReportAsync("video", video)).JsonAsync(HttpStatusCode.Created);

        await (await App.CreateClient(null).GetAsync($"/api/videos/{video}")).JsonAsync();
        var feed = await (await reporters[0].Client.GetAsync("/api/videos/feed?limit=50")).JsonAsync();
        Assert.That(feed.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()), Does.Contain(video));
    }
}
