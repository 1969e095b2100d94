using System.Text.Json;
using IgLive.Service.Features.LocalAuth.GoTrue;
using IgLive.Service.Features.LocalAuth.Store;

namespace IgLive.Service.Features.LocalAuth.GoTrueUpdateUser;

/// <summary>Body of <c>PUT /auth/v1/user</c> (documentation only: the endpoint reads the JSON itself).</summary>
public sealed record GoTrueUpdateUserRequest
{
    /// <summary>A new password, 8 to 72 bytes; the user's other sessions end.</summary>
    public string? Password { get; init; }
    /// <summary>Merged into <c>user_metadata</c> key by key; a null value removes the key.</summary>
    public Dictionary<string, object?>? Data { get; init; }
    /// <summary>Only the current address is accepted: this server sends no mail, so it cannot confirm a new one.</summary>
    public string? Email { get; init; }
}

/// <summary>
/// GoTrue's <c>PUT /user</c>: a new password (422 <c>weak_password</c>, 422 <c>same_password</c>; as GoTrue, the user's other
/// sessions end) and <c>user_metadata</c> updates; 200 with the user. Changing the e-mail or phone is refused (400
/// <c>validation_failed</c>): there is no mail or SMS to confirm them with.
/// </summary>
public sealed class GoTrueUpdateUserEndpoint(LocalAccounts accounts) : GoTrueEndpoint
{
    protected override bool NeedsUser => true;

    public override void Configure()
    {
        Put("/auth/v1/user");
        GoTrueRoute("Update the signed-in user's password or metadata (Supabase Auth protocol)");
        Options(b => b.Accepts<GoTrueUpdateUserRequest>("application/json"));
        Description(b => b.Produces<GoTrueUser>(200).Produces(400).Produces(401).Produces(403).Produces(422));
    }

    protected override async Task HandleGoTrueAsync(CancellationToken ct)
    {
        if (await AuthenticateAsync(ct) is not { } caller) return;
        if (await ReadBodyAsync(ct) is not { } body) return;
        if (Text(body, "email") is { Length: > 0 } email && LocalAccounts.NormalizeEmail(email) != caller.User.Email)
        {
            await ErrorAsync(400, "validation_failed", "Changing the email address is not supported by this server", ct);
            return;
        }
        if (Text(body, "phone") is { Length: > 0 })
        {
            await ErrorAsync(400, "validation_failed", "Changing the phone number is not supported by this server", ct);
            return;
        }
        var password = Text(body, "password");
        if (password is not null && !await PasswordAcceptableAsync(password, ct)) return;
        var data = body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d.GetRawText() : null;

        var (user, refusal) = await accounts.UpdateUserAsync(caller.User.Id, caller.SessionId, password, data, ct);
        switch (refusal)
        {
            case LocalRefusal.SamePassword:
                await ErrorAsync(422, "same_password", "New password should be different from the old password.", ct);
                break;
            case not null:
                await ErrorAsync(403, "user_not_found", "User from sub claim in JWT does not exist", ct);
                break;
            default:
                await Send.OkAsync(GoTrueUser.From(user!), ct);
                break;
        }
    }
}
