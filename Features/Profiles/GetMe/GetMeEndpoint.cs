namespace IgLive.Service.Features.Profiles.GetMe;

public sealed class GetMeEndpoint(NpgsqlDataSource db, TimeProvider clock) : EndpointWithoutRequest<ProfileDto>
{
    public override void Configure()
    {
        Get("/api/me");
        Summary(s =>
        {
            s.Summary = "The caller's profile";
            s.Description = "Created on first authenticated use, with a unique username derived from the token.";
        });
        Description(b => b.ProducesProblemDetails(401));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var profile = await conn.QuerySingleOrDefaultAsync<ProfileDto>(new CommandDefinition(
            ProfileSql.ById, new { Id = User.UserId(), Viewer = User.UserId(), Now = clock.GetUtcNow() }, cancellationToken: ct));
        if (profile is null) { await Send.ResultAsync(ProblemsExtensions.Problem(404, "No profile exists for this user.")); return; }
        await Send.OkAsync(profile, ct);
    }
}
