using System.Text.Json.Serialization;

namespace IgLive.Service.Features.Profiles.UpdateMe;

/// <summary>
/// Fields to change; an absent field is left as it is. <c>display_name</c>, <c>bio</c> and <c>avatar_url</c> are
/// cleared by an explicit null; text is stored verbatim.
/// </summary>
public sealed record UpdateMeRequest
{
    private readonly string? displayName, bio, avatarUrl;

    /// <summary>New username, <c>^[a-z0-9_.]{3,30}$</c>; 409 when taken. Null or absent: unchanged.</summary>
    public string? Username { get; init; }
    /// <summary>Up to 100 characters; null clears it.</summary>
    public string? DisplayName { get => displayName; init { displayName = value; DisplayNameGiven = true; } }
    /// <summary>Up to 500 characters; null clears it.</summary>
    public string? Bio { get => bio; init { bio = value; BioGiven = true; } }
    /// <summary>An absolute https URL, up to 2048 characters; null clears it.</summary>
    public string? AvatarUrl { get => avatarUrl; init { avatarUrl = value; AvatarUrlGiven = true; } }

    // The JSON binder calls a setter for every property present in the body, null included: that is how a clearing
    // null is told apart from an absent field.
    [JsonIgnore] internal bool DisplayNameGiven { get; private init; }
    [JsonIgnore] internal bool BioGiven { get; private init; }
    [JsonIgnore] internal bool AvatarUrlGiven { get; private init; }
}

public sealed class UpdateMeValidator : Validator<UpdateMeRequest>
{
    public UpdateMeValidator()
    {
        RuleFor(r => r.Username).Matches("^[a-z0-9_.]{3,30}$").When(r => r.Username is not null)
            .WithMessage("username must be 3 to 30 characters of a-z, 0-9, '_' or '.'");
        RuleFor(r => r.DisplayName).MaximumLength(100);
        RuleFor(r => r.Bio).MaximumLength(500);
        RuleFor(r => r.AvatarUrl).MaximumLength(2048)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0)
            .When(r => r.AvatarUrl is not null).WithMessage("avatar_url must be an absolute https URL");
    }
}

public sealed class UpdateMeEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<UpdateMeRequest, ProfileDto>
{
    public override void Configure()
    {
        Patch("/api/me");
        Summary(s => s.Summary = "Change the caller's profile");
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(409));
    }

    public override async Task HandleAsync(UpdateMeRequest r, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        try
        {
            var profile = await conn.QuerySingleOrDefaultAsync<ProfileDto>(new CommandDefinition(UpdateMeSql.Update,
                new
                {
                    Id = User.UserId(), r.Username, r.DisplayName, r.Bio, r.AvatarUrl, Now = now,
                    SetDisplayName = r.DisplayNameGiven, SetBio = r.BioGiven, SetAvatarUrl = r.AvatarUrlGiven,
                }, cancellationToken: ct));
            if (profile is null) { await Send.ResultAsync(ProblemsExtensions.Problem(404, "No profile exists for this user.")); return; }
            await Send.OkAsync(profile, ct);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "profiles_username_key" })
        {
            await Send.ResultAsync(ProblemsExtensions.Problem(409, "That username is taken.", "Username taken"));
        }
    }
}

internal static class UpdateMeSql
{
    // Updates the given fields (absent = unchanged, null clears all but username) and returns the profile;
    // profiles_pkey, videos_user_feed_idx.
    public const string Update = $"""
        WITH p AS (
            UPDATE profiles SET username     = COALESCE(@Username, username),
                                display_name = CASE WHEN @SetDisplayName THEN @DisplayName ELSE display_name END,
                                bio          = CASE WHEN @SetBio THEN @Bio ELSE bio END,
                                avatar_url   = CASE WHEN @SetAvatarUrl THEN @AvatarUrl ELSE avatar_url END,
                                updated_at   = @Now
            WHERE id = @Id
            RETURNING id, username, display_name, avatar_url, bio, created_at, followers_count, following_count)
        SELECT p.*, (SELECT count(*) FROM videos v WHERE v.user_id = p.id AND {Visibility.VideoLive}) AS videos_count,
               false AS followed_by_me, false AS blocked_by_me
        FROM p
        """;
}
