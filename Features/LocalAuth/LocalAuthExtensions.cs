using IgLive.Service.Features.LocalAuth.Store;
using IgLive.Service.Infrastructure.Configuration;

namespace IgLive.Service.Features.LocalAuth;

public static class LocalAuthExtensions
{
    /// <summary>
    /// The local auth server (<c>Auth:Mode=Local</c>): its user store behind <see cref="IAuthProvider"/> for
    /// <c>/api/auth/*</c>, and the GoTrue routes under <c>/auth/v1</c> (those answer 404 in Supabase mode).
    /// </summary>
    public static WebApplicationBuilder AddIgLiveLocalAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LocalTokenIssuer>();
        builder.Services.AddSingleton<LocalPasswordHasher>();
        builder.Services.AddSingleton<LocalAccounts>();
        builder.Services.AddSingleton<LocalRefreshTokens>();
        if (builder.Configuration.GetValue("Auth:Mode", AuthMode.Local) == AuthMode.Local)
            builder.Services.AddScoped<IAuthProvider, LocalAuthProvider>();
        return builder;
    }
}
