namespace IgLive.Service.Features.Auth.SignUp;

public sealed record SignUpRequest
{
    /// <summary>E-mail address; unique regardless of case.</summary>
    public string Email { get; init; } = "";
    /// <summary>8 to 72 characters (72 bytes is bcrypt's limit, which Supabase Auth uses).</summary>
    public string Password { get; init; } = "";
    /// <summary>The profile's username, <c>^[a-z0-9_.]{3,30}$</c>; unique regardless of case.</summary>
    public string Username { get; init; } = "";
}

/// <summary>202 answer when the Supabase project requires e-mail confirmation: the user exists, no session yet.</summary>
public sealed record SignUpConfirmationDto
{
    public required SessionUserDto User { get; init; }
    /// <summary>Always true: confirm the e-mail address, then log in.</summary>
    public bool ConfirmationRequired { get; init; } = true;
}

public sealed class SignUpValidator : Validator<SignUpRequest>
{
    public SignUpValidator()
    {
        RuleFor(r => r.Email).NotEmpty().WithMessage("email is required")
            .MaximumLength(320).EmailAddress().WithMessage("email must be an e-mail address");
        RuleFor(r => r.Password).Must(p => p is { Length: >= 8 } && System.Text.Encoding.UTF8.GetByteCount(p) <= 72)
            .WithMessage("password must be 8 to 72 characters");
        RuleFor(r => r.Username).Matches("^[a-z0-9_.]{3,30}$")
            .WithMessage("username must be 3 to 30 characters of a-z, 0-9, '_' or '.'");
    }
}
