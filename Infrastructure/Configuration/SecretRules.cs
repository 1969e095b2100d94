using System.Text;

namespace IgLive.Service.Infrastructure.Configuration;

/// <summary>
/// Refuses settings still holding a template's placeholder (<c>REPLACE_ME…</c>, <c>YOUR-PROJECT-REF</c>, the example
/// hosts of <c>deploy/</c>) and signing secrets that are short, repetitive or published as examples: a service started
/// with them would sign tokens anyone can forge.
/// </summary>
public static class SecretRules
{
    /// <summary>Every key a template in <c>deploy/</c> gives a placeholder for (configuration paths).</summary>
    private static readonly string[] TemplatedKeys =
    [
        "ConnectionStrings:Postgres", "Auth:JwtSecret", "Auth:PublicBaseUrl", "Supabase:Url", "Supabase:AnonKey", "Supabase:JwtSecret",
        "ImageKit:PublicKey", "ImageKit:PrivateKey", "ImageKit:UrlEndpoint", "Redis:ConnectionString",
        "REDIS_PASSWORD", // the in-cluster Redis's password (deploy/k8s/redis.yaml), in every pod through the Secret
    ];

    private static readonly string[] Placeholders = ["REPLACE_ME", "YOUR-PROJECT-REF", "YOUR_IMAGEKIT_ID", "iglive.example.com"];

    /// <summary>Example JWT secrets published in Supabase's self-hosting guide and elsewhere: never secret.</summary>
    private static readonly string[] PublishedSecrets =
    [
        "super-secret-jwt-token-with-at-least-32-characters-long",
        "your-super-secret-jwt-token-with-at-least-32-characters-long",
    ];

    public static void Check(IConfiguration config, List<string> problems)
    {
        foreach (var key in TemplatedKeys)
        {
            var value = key.StartsWith("ConnectionStrings:", StringComparison.Ordinal)
                ? config.GetConnectionString(key["ConnectionStrings:".Length..]) : config[key];
            if (value is not null && Placeholders.Any(p => value.Contains(p, StringComparison.OrdinalIgnoreCase)))
                problems.Add($"{EnvName(key)} still holds the template's placeholder; set the real value.");
        }
        CheckSigningSecret(config["Auth:JwtSecret"], "Auth__JwtSecret", problems);
        CheckSigningSecret(config["Supabase:JwtSecret"], "Supabase__JwtSecret", problems);
    }

    private static void CheckSigningSecret(string? secret, string name, List<string> problems)
    {
        if (string.IsNullOrEmpty(secret) || Placeholders.Any(p => secret.Contains(p, StringComparison.OrdinalIgnoreCase))) return;
        if (Encoding.UTF8.GetByteCount(secret) < 32)
            problems.Add($"{name} must be at least 32 bytes.");
        else if (PublishedSecrets.Contains(secret, StringComparer.OrdinalIgnoreCase))
            problems.Add($"{name} is a published example secret; generate a random one (e.g. `openssl rand -base64 48`).");
        else if (secret.Distinct().Count() < 10)
            problems.Add($"{name} is too repetitive to be a secret; generate a random one (e.g. `openssl rand -base64 48`).");
    }

    private static string EnvName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
