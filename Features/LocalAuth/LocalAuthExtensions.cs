using IgLive.Service.Features.LocalAuth.GoTrue;
using IgLive.Service.Features.LocalAuth.Store;

namespace IgLive.Service.Features.LocalAuth;

public static class LocalAuthExtensions
{
    /// <summary>
    /// The local auth server (<c>Auth:Mode=Local</c>): its user store behind <see cref="IAuthProvider"/> for
    /// <c>/api/auth/*</c>, and the GoTrue routes under <c>/auth/v1</c> (those answer 404 in Supabase mode).
    /// </summary>
    public static WebApplicationBuilder AddIgLiveLocalAuth(this WebApplicationBuilder builder)
    {
        // Browser apps on other origins call /auth/v1 as they call a Supabase project (GoTrue allows any origin).
        builder.Services.AddCors(o => o.AddPolicy(GoTrueEndpoint.CorsPolicy, p => p.AllowAnyOrigin().AllowAnyMethod()
            .WithHeaders("apikey", "authorization", "content-type", "x-client-info", GoTrueErrors.ApiVersionHeader)
            .WithExposedHeaders(GoTrueErrors.ApiVersionHeader, GoTrueErrors.ErrorCodeHeader, "Retry-After")));
        builder.Services.AddSingleton<LocalTokenIssuer>();
        builder.Services.AddSingleton<LocalPasswordHasher>();
        builder.Services.AddSingleton<LocalAccounts>();
        builder.Services.AddSingleton<LocalRefreshTokens>();
        if (builder.Configuration.GetValue("Auth:Mode", AuthMode.Local) == AuthMode.Local)
        {
            builder.Services.AddScoped<IAuthProvider, LocalAuthProvider>();
            builder.Services.AddHostedService<LocalKeysWarmUp>();
        }
        return builder;
    }
}
