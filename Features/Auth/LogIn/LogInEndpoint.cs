namespace IgLive.Service.Features.Auth.LogIn;

public sealed record LogInRequest
{
    public string Email { get; init; } = "";
    public string Password { get; init; } = "";
}

public sealed class LogInValidator : Validator<LogInRequest>
{
    public LogInValidator()
    {
        RuleFor(r => r.Email).NotEmpty().WithMessage("email is required").MaximumLength(320);
        // No length policy here: the policy applies at sign-up; a login only has to match.
        RuleFor(r => r.Password).NotEmpty().WithMessage("password is required").MaximumLength(1024);
    }
}

public sealed class LogInEndpoint(IAuthProvider auth, SignInFailureLimiter failures) : Endpoint<LogInRequest, SessionDto>
{
    public override void Configure()
    {
        Post("/api/auth/login");
        AllowAnonymous();
        Options(b => b.RequireRateLimiting(AuthRateLimiting.PerAddressPolicy));
        Summary(s =>
        {
            s.Summary = "Log in with e-mail and password";
            s.Description = "200 with a session. 401 with one message for an unknown e-mail and a wrong password alike. "
                            + "429 (with Retry-After) when too many attempts come from one address, or too many failed ones for one e-mail.";
        });
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(403)
            .ProducesProblemDetails(429).ProducesProblemDetails(502).ProducesProblemDetails(503));
    }

    public override async Task HandleAsync(LogInRequest r, CancellationToken ct)
    {
        if (await failures.CheckAsync(HttpContext, r.Email, ct) is { } wait) { await Send.ResultAsync(AuthRefusalProblems.TooManyAttempts(HttpContext, wait)); return; }
        var outcome = await auth.LogInAsync(r.Email, r.Password, ct);
        // Only refused credentials count (never a correct password); counted even if the caller hangs up now.
        if (outcome is AuthRefused { Reason: AuthRefusal.InvalidCredentials }) await failures.FailedAsync(HttpContext, r.Email, CancellationToken.None);
        switch (outcome)
        {
            case AuthSessionIssued issued: await Send.OkAsync(SessionDto.From(issued.Session), ct); break;
            case AuthRefused refused: await Send.ResultAsync(AuthRefusalProblems.For(refused, HttpContext)); break;
        }
    }
}
