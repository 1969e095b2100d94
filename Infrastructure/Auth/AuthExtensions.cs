using IgLive.Service.Infrastructure.Configuration;
using IgLive.Service.Infrastructure.Problems;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Infrastructure.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// Bearer JWT verification with JwtBearer: signature, lifetime (30 s skew), issuer and audience
    /// <c>authenticated</c>; <c>alg: none</c> never passes. Local mode trusts its own HS256 key; Supabase mode is
    /// configured in Infrastructure/Auth by the Supabase slice (JWKS and/or legacy secret). Failures answer 401 problem+json with WWW-Authenticate.
    /// </summary>
    public static WebApplicationBuilder AddIgLiveAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LocalSigningKey>();
        builder.Services.AddSingleton<LocalTokenIssuer>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, LocalSigningKey>((o, auth, key) =>
            {
                o.MapInboundClaims = false;
                o.RequireHttpsMetadata = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuer = auth.Value.LocalIssuer,
                    ValidateAudience = true,
                    ValidAudience = LocalTokenIssuer.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    ValidateIssuerSigningKey = true,
                    IssuerSigningKey = key.Key,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                };
                o.Events = new JwtBearerEvents { OnChallenge = WriteChallengeProblemAsync };
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>401 as problem+json, keeping the WWW-Authenticate header the Bearer scheme requires.</summary>
    public static async Task WriteChallengeProblemAsync(JwtBearerChallengeContext ctx)
    {
        ctx.HandleResponse();
        var error = ctx.AuthenticateFailure is null ? null : "invalid_token";
        ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
        ctx.Response.Headers.WWWAuthenticate = error is null ? "Bearer" : $"Bearer error=\"{error}\"";
        var problems = ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = ctx.HttpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = 401,
                Title = "Unauthorized",
                Detail = error is null ? "A bearer access token is required." : "The access token is invalid or expired.",
            },
        });
    }
}
