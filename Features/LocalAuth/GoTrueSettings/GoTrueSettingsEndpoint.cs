using IgLive.Service.Features.LocalAuth.GoTrue;

namespace IgLive.Service.Features.LocalAuth.GoTrueSettings;

/// <summary>GoTrue's <c>GET /settings</c>: e-mail sign-in only, sign-ups open, e-mail autoconfirmed.</summary>
public sealed record GoTrueSettingsResponse
{
    /// <summary>Which sign-in providers are on: only <c>email</c>.</summary>
    public required IReadOnlyDictionary<string, bool> External { get; init; }
    public bool DisableSignup { get; init; }
    /// <summary>Always true: no confirmation mail, sign-up answers a session.</summary>
    public bool MailerAutoconfirm { get; init; } = true;
    public bool PhoneAutoconfirm { get; init; }
    public string SmsProvider { get; init; } = "";
    public bool SamlEnabled { get; init; }
    public bool SamlPrivateKeyNextConfigured { get; init; }
    public bool PasskeysEnabled { get; init; }
}

public sealed class GoTrueSettingsEndpoint : GoTrueEndpoint
{
    private static readonly string[] Providers =
    [
        "anonymous_users", "apple", "azure", "bitbucket", "discord", "facebook", "snapchat", "figma", "fly", "github", "gitlab",
        "google", "keycloak", "kakao", "linkedin", "linkedin_oidc", "notion", "spotify", "slack", "slack_oidc", "workos", "twitch",
        "twitter", "email", "phone", "zoom",
    ];

    private static readonly GoTrueSettingsResponse Settings = new() { External = Providers.ToDictionary(p => p, p => p == "email") };

    public override void Configure()
    {
        Get("/auth/v1/settings");
        GoTrueRoute("Server settings (Supabase Auth protocol)");
        Description(b => b.Produces<GoTrueSettingsResponse>(200).Produces(401));
    }

    protected override Task HandleGoTrueAsync(CancellationToken ct) => Send.OkAsync(Settings, ct);
}
