using IgLive.Service.Infrastructure.Problems;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using System.Net;
using System.Security.Claims;
using System.Text;

namespace IgLive.Service.Infrastructure.Auth;

public static class AuthExtensions
{
    /// <summary>The <c>aud</c> of every user access token, in both modes (as Supabase Auth).</summary>
    public const string Audience = "authenticated";

    /// <summary>The <c>role</c> of the service-role key (and of Supabase's service_role tokens).</summary>
    public const string ServiceRole = "service_role";

    /// <summary>
    /// Bearer JWT verification with JwtBearer: signature, lifetime (30 s skew), issuer and audience
    /// <c>authenticated</c>; <c>alg: none</c> never passes, nor does a <c>kid</c> we do not know. Local mode trusts its
    /// own ES256 keys by <c>kid</c> (<see cref="LocalSigningKeys"/>), HS256 tokens of its legacy secret without a kid
    /// (while <c>Auth:AcceptHs256</c>), and its service-role key as a bearer (<see cref="ApiKeys"/>); Supabase mode trusts the project's JWKS (ES256/RS256, <see cref="SupabaseJwks"/>) and,
    /// when <c>Supabase:JwtSecret</c> is set, the legacy HS256 secret, with issuer <c>{Supabase:Url}/auth/v1</c>.
    /// Failures answer 401 problem+json with WWW-Authenticate. Validated tokens are remembered for a while
    /// (<see cref="ValidatedTokenCache"/>), still bound to their expiry. Also registers the <see cref="IAuthProvider"/> of the
    /// mode and the sign-up/login rate limits.
    /// </summary>
    public static WebApplicationBuilder AddIgLiveAuth(this WebApplicationBuilder builder)
    {
        var mode = builder.Configuration.GetValue("Auth:Mode", AuthMode.Local);
        builder.Services.AddSingleton<LocalSigningKeys>();
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddSingleton<ValidatedTokenCache>();
        builder.Services.AddIgLiveAuthRateLimiting();
        if (mode == AuthMode.Supabase) AddSupabase(builder.Services); // Local mode's IAuthProvider is Features/LocalAuth's

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IOptions<SupabaseOptions>, TimeProvider, IServiceProvider>((o, auth, supabase, clock, services) =>
            {
                o.MapInboundClaims = false;
                o.RequireHttpsMetadata = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidAudience = Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    ValidateIssuerSigningKey = true,
                    TryAllIssuerSigningKeys = false,
                    // Lifetime against the service's clock (tests move it), same rule as the default validator.
                    LifetimeValidator = (notBefore, expires, _, p) =>
                    {
                        var now = clock.GetUtcNow().UtcDateTime;
                        return expires is { } exp && exp > now - p.ClockSkew && (notBefore is not { } nbf || nbf <= now + p.ClockSkew);
                    },
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                };
                o.Events = new JwtBearerEvents { OnChallenge = WriteChallengeProblemAsync };
                if (auth.Value.Mode == AuthMode.Supabase) ConfigureSupabase(o, supabase.Value, services.GetRequiredService<SupabaseJwks>());
                else ConfigureLocal(o, auth.Value, services.GetRequiredService<LocalSigningKeys>(), services.GetRequiredService<ApiKeys>());
                services.GetRequiredService<ValidatedTokenCache>().Attach(o);
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    private static void ConfigureLocal(JwtBearerOptions o, AuthOptions auth, LocalSigningKeys keys, ApiKeys apiKeys)
    {
        var p = o.TokenValidationParameters;
        p.ValidIssuer = auth.LocalIssuer;
        p.ValidAlgorithms = auth.AcceptHs256 ? [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.HmacSha256] : [SecurityAlgorithms.EcdsaSha256];
        // ES256 only with the published key of that kid; HS256 (tokens from before ES256) only without a kid.
        p.IssuerSigningKeyResolver = (_, token, kid, _) => (token as JsonWebToken)?.Alg == SecurityAlgorithms.HmacSha256
            ? auth.AcceptHs256 && string.IsNullOrEmpty(kid) ? [keys.Legacy] : []
            : keys.Find(kid);
        var serviceRole = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("role", ServiceRole), new Claim("iss", auth.LocalIssuer)], "ApiKey", "sub", "role"));
        o.Events.OnMessageReceived = ctx =>
        {
            // The API keys are not JWTs: supabase-js sends the anon key as a bearer on anonymous calls (anonymous here);
            // the service-role key, as Supabase's, acts with the service_role's rights.
            var token = BearerToken.Read(ctx.Request);
            if (apiKeys.IsAnon(token)) ctx.NoResult();
            else if (apiKeys.IsServiceRole(token))
            {
                ctx.Principal = serviceRole.Clone();
                ctx.Success();
            }
            return Task.CompletedTask;
        };
    }

    private static void ConfigureSupabase(JwtBearerOptions o, SupabaseOptions supabase, SupabaseJwks jwks)
    {
        var legacy = string.IsNullOrEmpty(supabase.JwtSecret) ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(supabase.JwtSecret));
        var p = o.TokenValidationParameters;
        p.ValidIssuer = supabase.AuthBaseUrl;
        p.ValidAlgorithms = legacy is null
            ? [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256]
            : [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.HmacSha256];
        // HS256 tokens verify only with the legacy secret (never published), asymmetric ones only with JWKS keys.
        p.IssuerSigningKeyResolver = (_, token, kid, _) => (token as JsonWebToken)?.Alg == SecurityAlgorithms.HmacSha256
            ? legacy is null ? [] : [legacy]
            : jwks.Find(kid);
        o.Events.OnMessageReceived = async ctx =>
        {
            if (BearerToken.Read(ctx.Request) is not { } raw) return;
            string? alg, kid;
            try
            {
                var token = new JsonWebToken(raw);
                (alg, kid) = (token.Alg, token.Kid);
            }
            catch (Exception) { return; } // malformed: JwtBearer rejects it next
            if (alg is SecurityAlgorithms.EcdsaSha256 or SecurityAlgorithms.RsaSha256)
                await jwks.EnsureKeyAsync(kid, ctx.HttpContext.RequestAborted);
        };
    }

    private static void AddSupabase(IServiceCollection services)
    {
        services.AddSingleton<SupabaseJwks>();
        services.AddHttpClient(SupabaseJwks.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .RedactLoggedHeaders(_ => true);
        services.AddScoped<IAuthProvider>(sp => sp.GetRequiredService<SupabaseAuthClient>());
        services.AddHttpClient<SupabaseAuthClient>((sp, c) =>
            {
                c.BaseAddress = new Uri(sp.GetRequiredService<IOptions<SupabaseOptions>>().Value.AuthBaseUrl + "/");
                c.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline's total timeout rules
            })
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler("supabase-auth", (pipeline, ctx) =>
            {
                var timeout = TimeSpan.FromSeconds(ctx.ServiceProvider.GetRequiredService<IOptions<SupabaseOptions>>().Value.TimeoutSeconds);
                // Network time is real time, whatever TimeProvider the service runs on (tests inject a fake clock).
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(timeout);
                // Sign-up, login and refresh are not idempotent: retry only when GoTrue cannot have acted — the
                // connection was never established, or a 503 from the gateway. Never after a timeout or a 500/502/504.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                    {
                        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } => true,
                        { Result.StatusCode: HttpStatusCode.ServiceUnavailable } => true,
                        _ => false,
                    }),
                });
            });
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
