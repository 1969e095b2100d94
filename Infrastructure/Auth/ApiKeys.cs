using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using IgLive.Service.Infrastructure.Secrets;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Infrastructure.Auth;

/// <summary>
/// Local mode's two API keys, as a Supabase project has them: the anon (publishable) key that apps ship, and the
/// service-role (secret) key for servers. <c>Auth:AnonKey</c> / <c>Auth:ServiceRoleKey</c> when set, else generated
/// once into <c>Auth:KeysPath</c> (<c>anon-key</c>, <c>service-role-key</c>). Not JWTs: opaque, compared in constant time.
/// </summary>
public sealed class ApiKeys
{
    public const string AnonFile = "anon-key";
    public const string ServiceRoleFile = "service-role-key";

    private readonly byte[] anon;
    private readonly byte[] serviceRole;

    public string AnonKey { get; }
    public string ServiceRoleKey { get; }

    public ApiKeys(IOptions<AuthOptions> options, IHostEnvironment env)
    {
        var o = options.Value;
        var folder = o.KeysFolder(env.ContentRootPath);
        AnonKey = string.IsNullOrEmpty(o.AnonKey)
            ? SecretFile.ReadOrCreate(Path.Combine(folder, AnonFile), () => "sb_publishable_" + Random(24))
            : o.AnonKey;
        ServiceRoleKey = string.IsNullOrEmpty(o.ServiceRoleKey)
            ? SecretFile.ReadOrCreate(Path.Combine(folder, ServiceRoleFile), () => "sb_secret_" + Random(32))
            : o.ServiceRoleKey;
        if (AnonKey == ServiceRoleKey) throw new InvalidOperationException("The anon key and the service-role key must differ.");
        anon = Encoding.UTF8.GetBytes(AnonKey);
        serviceRole = Encoding.UTF8.GetBytes(ServiceRoleKey);
    }

    public bool IsAnon(string? key) => Matches(key, anon);

    public bool IsServiceRole(string? key) => Matches(key, serviceRole);

    private static bool Matches(string? key, byte[] expected)
        => key is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), expected);

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
