using System.Net;
using Dapper;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Videos.DeleteVideo;

[TestFixture]
public sealed class DeleteVideoTests : ServiceFixture
{
    [Test]
    public async Task The_owner_deletes_the_row_and_the_stored_objects_are_queued_in_the_same_statement()
    {
        var owner = await App.CreateUserAsync();
        var fan = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(owner);
        await using var conn = App.OpenConnection();
        await conn.ExecuteAsync("""
            UPDATE videos SET thumbnail_key = 'thumbnails/' || left(replace(id::text, '-', ''), 2) || '/x.jpg' WHERE id = @id;
            INSERT INTO video_likes (video_id, user_id) VALUES (@id, @fan);
            INSERT INTO video_comments (id, video_id, user_id, text) VALUES (gen_random_uuid(), @id, @fan, 'nice');
            """, new { id, fan = fan.Id });
        var keys = await conn.QuerySingleAsync<(string Key, string Thumb)>("SELECT storage_key, thumbnail_key FROM videos WHERE id = @id", new { id });

        var rsp = await owner.Client.DeleteAsync($"/api/videos/{id}");

        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM videos WHERE id = @id", new { id }), Is.Zero);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM video_likes WHERE video_id = @id", new { id }), Is.Zero);
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM video_comments WHERE video_id = @id", new { id }), Is.Zero);
        var queued = (await conn.QueryAsync<(string Provider, string Key, string Reason)>(
            "SELECT provider, storage_key, reason FROM storage_deletions WHERE video_id = @id", new { id })).ToList();
        Assert.That(queued, Is.EquivalentTo(new[] { ("local", keys.Key, "video_deleted"), ("local", keys.Thumb, "video_deleted") }));
    }

    [Test]
    public async Task Someone_elses_video_is_403_and_stays()
    {
        var owner = await App.CreateUserAsync();
        var other = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(owner);

        await (await other.Client.DeleteAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        await using var conn = App.OpenConnection();
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM videos WHERE id = @id", new { id }), Is.EqualTo(1));
        Assert.That(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM storage_deletions WHERE video_id = @id", new { id }), Is.Zero);
    }

    [Test]
    public async Task Unknown_expired_and_malformed_ids_are_404()
    {
        var owner = await App.CreateUserAsync();
        var expired = await App.SeedVideoAsync(owner, expiresAt: App.Clock.GetUtcNow().AddMinutes(-1));
        await (await owner.Client.DeleteAsync($"/api/videos/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.Client.DeleteAsync($"/api/videos/{expired}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.Client.DeleteAsync("/api/videos/not-a-uuid")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Deleting_twice_is_404_the_second_time()
    {
        var owner = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(owner);
        Assert.That((await owner.Client.DeleteAsync($"/api/videos/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await (await owner.Client.DeleteAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Requires_authentication()
    {
        var owner = await App.CreateUserAsync();
        var id = await App.SeedVideoAsync(owner);
        await (await App.CreateClient().DeleteAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
