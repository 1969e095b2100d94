using System.Net;
using Dapper;
using IgLive.Service.Features.Moderation.Moderators;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Moderation.Moderators;

[TestFixture]
public sealed class ModeratorsCommandTests : ServiceFixture
{
    [Test]
    public async Task The_built_service_adds_a_moderator_from_the_command_line_who_may_then_work_the_queue()
    {
        var user = await App.CreateUserAsync();
        await (await user.Client.GetAsync("/api/moderation/cases")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var (code, stdout, stderr) = await ServiceProcess.RunAsync(App, "moderators", "add", "@" + user.Username.ToUpperInvariant());

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain($"@{user.Username} is now a moderator"));
        await (await user.Client.GetAsync("/api/moderation/cases")).JsonAsync();
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT moderator_name FROM moderation_actions WHERE action = 'add_moderator' AND target_id = @id",
            new { id = user.Id }), Is.EqualTo("cli"));
    }

    [Test]
    public async Task Add_list_and_remove_change_who_is_a_moderator_and_are_audited()
    {
        var (a, b) = (await App.CreateUserAsync("mod_a_" + Guid.NewGuid().ToString("N")[..6]), await App.CreateUserAsync("mod_b_" + Guid.NewGuid().ToString("N")[..6]));

        Assert.That((await RunAsync("add", a.Username)).Code, Is.Zero);
        Assert.That((await RunAsync("add", b.Username)).Code, Is.Zero);
        var again = await RunAsync("add", a.Username);
        var list = await RunAsync("list");
        var removed = await RunAsync("remove", a.Username);
        var listAfter = await RunAsync("list");

        Assert.Multiple(() =>
        {
            Assert.That(again.Out, Does.Contain("already"));
            Assert.That(list.Out, Does.Contain(a.Username + "\t").And.Contain(b.Username + "\t"));
            Assert.That(removed.Out, Does.Contain($"@{a.Username} is no longer a moderator"));
            Assert.That(listAfter.Out, Does.Not.Contain(a.Username + "\t").And.Contain(b.Username + "\t"));
        });
        await (await a.Client.GetAsync("/api/moderation/actions")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await b.Client.GetAsync("/api/moderation/actions")).JsonAsync();
        await using var conn = App.OpenConnection();
        var actions = await conn.QueryAsync<string>("SELECT action FROM moderation_actions WHERE target_id = @id ORDER BY created_at", new { id = a.Id });
        Assert.That(actions, Is.EqualTo(new[] { "add_moderator", "remove_moderator" }), "a repeated add changes and logs nothing");
    }

    [Test]
    public async Task Unknown_users_and_bad_usage_fail_with_their_exit_codes()
    {
        var unknown = await RunAsync("add", "nobody_" + Guid.NewGuid().ToString("N")[..8]);
        var usage = await RunAsync("promote", "someone");
        var missing = await RunAsync("add");

        Assert.Multiple(() =>
        {
            Assert.That(unknown.Code, Is.EqualTo(1));
            Assert.That(unknown.Err, Does.Contain("no user"));
            Assert.That(usage.Code, Is.EqualTo(2));
            Assert.That(usage.Err, Does.Contain("usage: moderators"));
            Assert.That(missing.Code, Is.EqualTo(2));
        });
    }

    /// <summary>The command's entry point, as Program.cs calls it, against the fixture's service and database.</summary>
    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await ModeratorsCommand.RunAsync(App.Services, args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
