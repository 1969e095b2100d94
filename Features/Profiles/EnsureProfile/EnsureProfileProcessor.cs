using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Caching.Memory;

namespace IgLive.Service.Features.Profiles.EnsureProfile;

/// <summary>
/// "A profile row exists for every authenticated user": before any endpoint runs for an authenticated caller, make
/// sure the caller's profile exists, deriving a unique username from the token (<c>user_metadata.username</c>,
/// else the e-mail's local part). Known ids are remembered per process so the hot path costs one cache lookup.
/// Services come from the request, not the constructor: FastEndpoints builds global processors once, and several
/// hosts can share a process (integration tests).
/// </summary>
public sealed partial class EnsureProfileProcessor : IGlobalPreProcessor
{
    private static readonly MemoryCacheEntryOptions Remember = new() { SlidingExpiration = TimeSpan.FromHours(1), Size = 1 };

    public async Task PreProcessAsync(IPreProcessorContext context, CancellationToken ct)
    {
        if (context.HttpContext.User.UserId() is not { } userId) return;
        var services = context.HttpContext.RequestServices;
        var known = services.GetRequiredService<IMemoryCache>();
        if (known.TryGetValue(userId, out _)) return;
        var db = services.GetRequiredService<NpgsqlDataSource>();
        var log = services.GetRequiredService<ILogger<EnsureProfileProcessor>>();
        if (await EnsureAsync(db, userId, context.HttpContext.User, ct) is { } username) Log.Created(log, userId, username);
        known.Set(userId, true, Remember);
    }

    /// <summary>Creates the profile when missing (returns its username); retries with a suffix when the username is taken.</summary>
    public static async Task<string?> EnsureAsync(NpgsqlDataSource db, Guid userId, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(EnsureProfileSql.Exists, new { Id = userId }, cancellationToken: ct));
        if (exists) return null;

        var baseName = UsernameFrom(user);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var candidate = attempt == 0 ? baseName : Suffixed(baseName, attempt);
            var inserted = await conn.ExecuteAsync(new CommandDefinition(EnsureProfileSql.Insert,
                new { Id = userId, Username = candidate, DisplayName = DisplayNameFrom(user) }, cancellationToken: ct));
            if (inserted == 1) return candidate;
            if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition(EnsureProfileSql.Exists, new { Id = userId }, cancellationToken: ct)))
                return null; // a concurrent request created it
        }
        throw new InvalidOperationException("Could not find a free username for a new profile.");
    }

    private static string Suffixed(string name, int attempt)
    {
        var suffix = attempt < 5 ? attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next(1000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (name.Length + suffix.Length > 30 ? name[..(30 - suffix.Length)] : name) + suffix;
    }

    /// <summary>The token's preferred username, or the e-mail's local part, reduced to <c>^[a-z0-9_.]{3,30}$</c>.</summary>
    public static string UsernameFrom(ClaimsPrincipal user)
    {
        var raw = MetadataString(user, "username") ?? MetadataString(user, "user_name")
                  ?? user.FindFirst("email")?.Value?.Split('@')[0] ?? "user";
        var cleaned = Disallowed().Replace(raw.ToLowerInvariant(), "");
        if (cleaned.Length > 30) cleaned = cleaned[..30];
        return cleaned.Length >= 3 ? cleaned : (cleaned + "user")[..Math.Max(4, cleaned.Length + 4)];
    }

    /// <summary>
    /// The token's display name, fit to the column (100 characters, control characters dropped): user metadata is
    /// whatever the user typed into Supabase, and a row that cannot be inserted would fail every request they make.
    /// </summary>
    public static string? DisplayNameFrom(ClaimsPrincipal user)
    {
        var raw = MetadataString(user, "display_name") ?? MetadataString(user, "full_name") ?? MetadataString(user, "name");
        if (raw is null) return null;
        var name = new System.Text.StringBuilder();
        var count = 0;
        foreach (var rune in raw.EnumerateRunes())
        {
            if (System.Text.Rune.IsControl(rune)) continue;
            if (++count > MaxDisplayNameLength) break;
            name.Append(rune.ToString());
        }
        return name.ToString().Trim() is { Length: > 0 } fit ? fit : null;
    }

    /// <summary><c>profiles.display_name</c>'s CHECK (char_length, i.e. code points).</summary>
    public const int MaxDisplayNameLength = 100;

    private static string? MetadataString(ClaimsPrincipal user, string key)
    {
        var json = user.FindFirst("user_metadata")?.Value;
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                   && doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
                   && v.GetString() is { Length: > 0 } s ? s : null;
        }
        catch (JsonException) { return null; }
    }

    [GeneratedRegex("[^a-z0-9_.]")]
    private static partial Regex Disallowed();

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Created profile {UserId} as {Username}")]
        public static partial void Created(ILogger logger, Guid userId, string username);
    }
}

internal static class EnsureProfileSql
{
    // Primary-key lookup.
    public const string Exists = "SELECT EXISTS (SELECT 1 FROM profiles WHERE id = @Id)";

    // Inserts unless the id or the username (profiles_username_key) already exists; 0 rows tells which by a re-check.
    public const string Insert = """
        INSERT INTO profiles (id, username, display_name) VALUES (@Id, @Username, @DisplayName)
        ON CONFLICT DO NOTHING
        """;
}
