using System.Net;
using System.Text.Json;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Auth;

/// <summary>Auth:Mode=Local sessions: refresh-token rotation, reuse detection and logout.</summary>
[TestFixture]
public sealed class LocalSessionTests : LocalAuthFixture
{
    [Test]
    public async Task Refresh_rotates_the_token_within_the_session()
    {
        var (session, _, _, _) = await SignUpAsync();
        var oldToken = RefreshToken(session);

        var next = await (await RefreshAsync(oldToken)).JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(RefreshToken(next), Is.Not.EqualTo(oldToken));
            Assert.That(SessionId(next), Is.EqualTo(SessionId(session)));
        });
        var me = await App.CreateClient(AccessToken(next)).GetAsync("/api/me");
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var conn = App.OpenConnection();
        var rows = (await conn.QueryAsync<(long Id, long? ParentId, DateTime? UsedAt)>(
            "SELECT id, parent_id, used_at FROM local_refresh_tokens WHERE session_id = @s ORDER BY id", new { s = SessionId(session) })).ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(rows[0].UsedAt, Is.Not.Null, "the presented token is used up");
            Assert.That(rows[1].ParentId, Is.EqualTo(rows[0].Id), "the new token is its child");
            Assert.That(rows[1].UsedAt, Is.Null);
        });
    }

    [Test]
    public async Task Reusing_a_used_refresh_token_revokes_the_whole_session()
    {
        // Outside Supabase's allowance: used more than 10 s ago, and its child was used too (it is no longer the
        // parent of the active token).
        var (session, _, _, _) = await SignUpAsync();
        var used = RefreshToken(session);
        var child = RefreshToken(await (await RefreshAsync(used)).JsonAsync());
        var grandchild = RefreshToken(await (await RefreshAsync(child)).JsonAsync());
        App.Clock.Advance(TimeSpan.FromSeconds(11));

        await (await RefreshAsync(used)).AssertProblemAsync(HttpStatusCode.Unauthorized);

        await (await RefreshAsync(grandchild)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await using var conn = App.OpenConnection();
        var reason = await conn.ExecuteScalarAsync<string>("SELECT revoked_reason FROM local_sessions WHERE id = @s AND revoked_at IS NOT NULL",
            new { s = SessionId(session) });
        Assert.That(reason, Is.EqualTo("refresh_token_reuse"));
    }

    [Test]
    public async Task Concurrent_refreshes_with_one_token_all_get_a_working_session()
    {
        // Two tabs refreshing at once (Supabase's 10 s reuse interval): nobody is logged out.
        var (session, _, _, _) = await SignUpAsync();
        var token = RefreshToken(session);

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RefreshAsync(token)));

        var sessions = new List<JsonElement>();
        foreach (var answer in answers) sessions.Add(await answer.JsonAsync());
        Assert.That(sessions.Select(RefreshToken).Distinct().Count(), Is.EqualTo(1), "one chain: everybody gets the active token");
        foreach (var next in sessions)
        {
            Assert.That(SessionId(next), Is.EqualTo(SessionId(session)));
            Assert.That((await App.CreateClient(AccessToken(next)).GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        Assert.That((await RefreshAsync(RefreshToken(sessions[0]))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_reused_token_gets_the_active_token_so_a_thief_and_the_owner_share_one_chain_and_old_reuse_is_caught()
    {
        var (session, _, _, _) = await SignUpAsync();
        var stolen = RefreshToken(session);
        var owners = RefreshToken(await (await RefreshAsync(stolen)).JsonAsync());

        var thiefs = RefreshToken(await (await RefreshAsync(stolen)).JsonAsync()); // parent of the active token: allowed

        Assert.That(thiefs, Is.EqualTo(owners), "no second chain");
        var latest = RefreshToken(await (await RefreshAsync(owners)).JsonAsync());
        App.Clock.Advance(TimeSpan.FromSeconds(11));
        await (await RefreshAsync(stolen)).AssertProblemAsync(HttpStatusCode.Unauthorized); // two generations old
        await (await RefreshAsync(latest)).AssertProblemAsync(HttpStatusCode.Unauthorized);  // the whole session is revoked
    }

    [Test]
    public async Task The_parent_of_the_active_token_can_be_used_again_later_when_the_answer_was_lost()
    {
        var (session, _, _, _) = await SignUpAsync();
        var token = RefreshToken(session);
        (await RefreshAsync(token)).Dispose(); // the client never read this answer
        App.Clock.Advance(TimeSpan.FromHours(1));

        var retried = await (await RefreshAsync(token)).JsonAsync();

        Assert.That(SessionId(retried), Is.EqualTo(SessionId(session)));
        Assert.That((await RefreshAsync(RefreshToken(retried))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Unknown_refresh_token_is_a_401()
    {
        await (await RefreshAsync("not-a-token-we-issued")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Empty_refresh_token_is_a_400()
    {
        var problem = await (await RefreshAsync("")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.That(problem.FieldErrors("refresh_token"), Is.Not.Empty);
    }

    [Test]
    public async Task Logout_revokes_the_session_so_its_refresh_token_is_a_401()
    {
        var (session, email, _, password) = await SignUpAsync();
        var other = await (await LogInAsync(email, password)).JsonAsync();

        var rsp = await App.CreateClient(AccessToken(session)).PostAsync("/api/auth/logout", null);

        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await RefreshAsync(RefreshToken(session))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var stillIn = await RefreshAsync(RefreshToken(other));
        Assert.That(stillIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), "logout ends only the caller's session");
        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<string>("SELECT revoked_reason FROM local_sessions WHERE id = @s", new { s = SessionId(session) }),
            Is.EqualTo("logout"));
    }

    [Test]
    public async Task Logout_without_a_token_is_a_401()
    {
        var rsp = await App.CreateClient().PostAsync("/api/auth/logout", null);
        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(rsp.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }
}
