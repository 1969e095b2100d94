namespace IgLive.Service.Features.Auth.SignUp;

public sealed class SignUpEndpoint(IAuthProvider auth, AuthAttemptLimiter attempts, NpgsqlDataSource db, TimeProvider clock)
    : Endpoint<SignUpRequest, SessionDto>
{
    public override void Configure()
    {
        Post("/api/auth/signup");
        AllowAnonymous();
        Options(b => b.RequireRateLimiting(AuthRateLimiting.PerAddressPolicy));
        Summary(s =>
        {
            s.Summary = "Create an account and its profile";
            s.Description = """
                201 with a session (as Supabase Auth's) and the profile created with the requested username.
                409 when the e-mail or the username is taken (both case-insensitive).
                In Auth:Mode=Supabase with e-mail confirmation required, the answer is 202
                `{user: {id, email}, confirmation_required: true}` with no session: confirm the e-mail, then log in;
                the profile is created on the first authenticated request, with the requested username when still free.
                429 (with Retry-After) when too many attempts come from one address or for one e-mail.
                """;
        });
        Description(b => b.Produces<SessionDto>(201).Produces<SignUpConfirmationDto>(202)
            .ProducesProblemDetails(400).ProducesProblemDetails(409).ProducesProblemDetails(429)
            .ProducesProblemDetails(502).ProducesProblemDetails(503));
    }

    public override async Task HandleAsync(SignUpRequest r, CancellationToken ct)
    {
        if (await attempts.TryAcquireAsync(r.Email, ct) is { } wait) { await Send.ResultAsync(AuthRefusalProblems.TooManyAttempts(HttpContext, wait)); return; }

        // Checked first so that a taken username never creates a (Supabase) user; the insert below still guards races.
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition(SignUpSql.UsernameTaken, new { r.Username }, cancellationToken: ct)))
            {
                await Send.ResultAsync(UsernameTaken());
                return;
            }
        }

        var now = clock.GetUtcNow();
        AuthOutcome outcome;
        try
        {
            outcome = await auth.SignUpAsync(new SignUpCommand(r.Email, r.Password, new Dictionary<string, string> { ["username"] = r.Username }),
                (userId, conn, tx, token) => conn.ExecuteAsync(new CommandDefinition(SignUpSql.InsertProfile,
                    new { Id = userId, r.Username, Now = now }, tx, cancellationToken: token)), ct);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "profiles_username_key" })
        {
            await Send.ResultAsync(UsernameTaken());
            return;
        }

        switch (outcome)
        {
            case AuthSessionIssued issued:
                await Send.ResponseAsync(SessionDto.From(issued.Session), StatusCodes.Status201Created, ct);
                break;
            case AuthConfirmationRequired pending:
                await Send.ResultAsync(TypedResults.Json(
                    new SignUpConfirmationDto { User = new SessionUserDto { Id = pending.User.Id, Email = pending.User.Email } },
                    statusCode: StatusCodes.Status202Accepted));
                break;
            case AuthRefused refused:
                await Send.ResultAsync(AuthRefusalProblems.For(refused, HttpContext));
                break;
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult UsernameTaken() => ProblemsExtensions.Problem(409, "That username is taken.", "Username taken");
}

internal static class SignUpSql
{
    // Whether a profile already has this username, any case; profiles_username_key.
    public const string UsernameTaken = "SELECT EXISTS (SELECT 1 FROM profiles WHERE lower(username) = lower(@Username))";

    // The new user's profile; profiles_username_key refuses a taken username (the caller answers 409).
    public const string InsertProfile = """
        INSERT INTO profiles (id, username, created_at, updated_at) VALUES (@Id, @Username, @Now, @Now)
        ON CONFLICT (id) DO NOTHING
        """;
}
