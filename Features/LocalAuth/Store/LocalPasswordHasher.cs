using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IgLive.Service.Features.LocalAuth.Store;

/// <summary>
/// Local passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>: PBKDF2 with HMAC-SHA512, a
/// 128-bit random salt, a 256-bit subkey and <c>Auth:PasswordHashIterations</c> iterations (Identity's default
/// 100,000). The format (V3) records the iteration count, so hashes made with another count keep verifying and are
/// re-hashed on the next login.
/// </summary>
public sealed class LocalPasswordHasher
{
    private readonly PasswordHasher<LocalPasswordHasher> hasher;
    private readonly Lazy<string> dummyHash;

    public LocalPasswordHasher(IOptions<AuthOptions> options)
    {
        hasher = new PasswordHasher<LocalPasswordHasher>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.PasswordHashIterations,
        }));
        dummyHash = new Lazy<string>(() => Hash(Guid.NewGuid().ToString()));
    }

    public string Hash(string password) => hasher.HashPassword(this, password);

    /// <summary>Whether the password matches, and whether the hash should be replaced (older iteration count).</summary>
    public (bool Ok, bool Rehash) Verify(string hash, string password) => hasher.VerifyHashedPassword(this, hash, password) switch
    {
        PasswordVerificationResult.Success => (true, false),
        PasswordVerificationResult.SuccessRehashNeeded => (true, true),
        _ => (false, false),
    };

    /// <summary>Spends the same time as a real verification, so an unknown e-mail cannot be told by the response time.</summary>
    public void VerifyNothing(string password) => hasher.VerifyHashedPassword(this, dummyHash.Value, password);
}
