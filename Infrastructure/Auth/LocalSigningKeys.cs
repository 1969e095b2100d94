using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using IgLive.Service.Infrastructure.Secrets;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// Local mode's key material, loaded once. <see cref="Current"/> is the ES256 (P-256) key that signs access tokens,
/// under a <c>kid</c> that is its RFC 7638 thumbprint: <c>Auth:SigningKey</c> (PEM) or <c>jwt-es256.pem</c> in
/// <c>Auth:KeysPath</c>, generated there once. <see cref="Previous"/> (<c>Auth:PreviousSigningKey</c> or
/// <c>jwt-es256.previous.pem</c>, private or public PEM) still verifies after a rotation. <see cref="Legacy"/> is the HS256
/// secret that signed tokens before ES256 (<c>Auth:JwtSecret</c> or <c>jwt-secret</c>): it verifies those until they
/// expire (while <c>Auth:AcceptHs256</c>) and keys the refresh-token chain.
/// </summary>
public sealed class LocalSigningKeys
{
    public const string CurrentFile = "jwt-es256.pem";
    public const string PreviousFile = "jwt-es256.previous.pem";
    public const string LegacyFile = "jwt-secret";

    public ECDsaSecurityKey Current { get; }
    public ECDsaSecurityKey? Previous { get; }
    public SymmetricSecurityKey Legacy { get; }

    /// <summary>The keys published at <c>/auth/v1/.well-known/jwks.json</c>: current first, then the previous one.</summary>
    public IReadOnlyList<ECDsaSecurityKey> Published { get; }

    public LocalSigningKeys(IOptions<AuthOptions> options, IHostEnvironment env)
    {
        var o = options.Value;
        var folder = o.KeysFolder(env.ContentRootPath);
        var secret = string.IsNullOrEmpty(o.JwtSecret)
            ? SecretFile.ReadOrCreate(Path.Combine(folder, LegacyFile), () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)))
            : o.JwtSecret;
        Legacy = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)) { KeyId = null };

        var current = string.IsNullOrWhiteSpace(o.SigningKey)
            ? SecretFile.ReadOrCreate(Path.Combine(folder, CurrentFile), NewPem)
            : o.SigningKey;
        Current = Load(current, "Auth:SigningKey");
        var previous = string.IsNullOrWhiteSpace(o.PreviousSigningKey) ? ReadIfPresent(Path.Combine(folder, PreviousFile)) : o.PreviousSigningKey;
        Previous = previous is null ? null : Load(previous, "Auth:PreviousSigningKey");
        Published = Previous is null || Previous.KeyId == Current.KeyId ? [Current] : [Current, Previous];
    }

    /// <summary>The ES256 keys named by <paramref name="kid"/> (none for an unknown or missing kid).</summary>
    public IEnumerable<SecurityKey> Find(string? kid) => string.IsNullOrEmpty(kid) ? [] : Published.Where(k => k.KeyId == kid);

    /// <summary>The public half as a JWK (<c>kty, crv, x, y, kid, alg, use, key_ops</c>), as GoTrue publishes it.</summary>
    public static Dictionary<string, object> PublicJwk(ECDsaSecurityKey key)
    {
        var p = key.ECDsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, object>
        {
            ["kty"] = "EC", ["crv"] = "P-256",
            ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y),
            ["kid"] = key.KeyId, ["alg"] = "ES256", ["use"] = "sig", ["key_ops"] = new[] { "verify" },
        };
    }

    /// <summary>The previous key is put in place by the operator (a rename, docs/auth.md), never generated.</summary>
    private static string? ReadIfPresent(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string NewPem()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ec.ExportPkcs8PrivateKeyPem();
    }

    private static ECDsaSecurityKey Load(string pem, string source)
    {
        var ec = ECDsa.Create();
        try { ec.ImportFromPem(pem); }
        catch (ArgumentException e) { throw new InvalidOperationException($"{source} is not a PEM EC key.", e); }
        if (ec.KeySize != 256) throw new InvalidOperationException($"{source} must be a P-256 key (ES256).");
        var key = new ECDsaSecurityKey(ec);
        key.KeyId = Base64Url.EncodeToString(key.ComputeJwkThumbprint());
        return key;
    }
}
