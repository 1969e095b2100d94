namespace IgLive.Service.Features.Profiles.GetUserProfile;

public sealed record GetUserProfileRequest
{
    /// <summary>The user's username (case-insensitive).</summary>
    public string Username { get; init; } = "";
}

public sealed class GetUserProfileEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<GetUserProfileRequest, ProfileDto>
{
    public override void Configure()
    {
        Get("/api/users/{username}");
        AllowAnonymous();
        Summary(s => s.Summary = "A user's public profile");
        Description(b => b.ProducesProblemDetails(404));
    }

    public override async Task HandleAsync(GetUserProfileRequest r, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var profile = await conn.QuerySingleOrDefaultAsync<ProfileDto>(new CommandDefinition(
            ProfileSql.ByUsername, new { r.Username, Now = clock.GetUtcNow(), Viewer = User.UserId() }, cancellationToken: ct));
        if (profile is null) { await Send.ResultAsync(ProblemsExtensions.Problem(404, $"No user is named '{r.Username}'.")); return; }
        await Send.OkAsync(profile, ct);
    }
}
