using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// Remembers bearer tokens that passed full validation, so a client sending the same token on every request pays the
/// signature check (HS256 here, ES256/RS256 against Supabase's JWKS, far dearer) and the claim parsing once. A hit is
/// still held to the token's own expiry against the service clock, with the same skew as the validator, so a cached
/// token stops working exactly when an uncached one would. An entry lives at most <see cref="MaxAge"/>: a key removed
/// from the JWKS stops a token within that time, and at most <see cref="Capacity"/> tokens are kept (about 1 KB each).
/// Every hit gets its own copy of the principal.
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider clock) : IDisposable
{
    public const int Capacity = 10_000;
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = Capacity });

    private sealed record Entry(ClaimsPrincipal Principal, DateTime ExpiresUtc);

    /// <summary>Wraps the JwtBearer events: a remembered token short-cuts validation; a validated one is remembered.</summary>
    public void Attach(JwtBearerOptions o)
    {
        var received = o.Events.OnMessageReceived;
        var validated = o.Events.OnTokenValidated;
        var skew = o.TokenValidationParameters.ClockSkew;
        o.Events.OnMessageReceived = ctx =>
        {
            if (BearerToken.Read(ctx.Request) is { } token && TryGet(token, skew, out var principal))
            {
                ctx.Principal = principal;
                ctx.Success();
                return Task.CompletedTask;
            }
            return received(ctx);
        };
        o.Events.OnTokenValidated = async ctx =>
        {
            await validated(ctx);
            // Keyed by the token that was validated (not re-read from the request), looked up by the header's.
            if (ctx.Result is null && ctx.Principal is { } principal && ctx.SecurityToken is JsonWebToken { EncodedToken: var token }
                && ctx.SecurityToken.ValidTo > DateTime.MinValue)
                Remember(token, principal, ctx.SecurityToken.ValidTo);
        };
    }

    private bool TryGet(string token, TimeSpan skew, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        principal = null;
        if (!cache.TryGetValue(token, out Entry? entry) || entry is null) return false;
        if (entry.ExpiresUtc <= clock.GetUtcNow().UtcDateTime - skew)
        {
            cache.Remove(token);
            return false;
        }
        principal = entry.Principal.Clone();
        return true;
    }

    private void Remember(string token, ClaimsPrincipal principal, DateTime expiresUtc)
        => cache.Set(token, new Entry(principal.Clone(), expiresUtc), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = MaxAge });

    public void Dispose() => cache.Dispose();
}
