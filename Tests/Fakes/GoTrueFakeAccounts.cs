using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IgLive.Service.Tests.Fakes;

/// <summary>
/// The state behind <see cref="SupabaseAuthFake"/>'s stateful routes, as GoTrue keeps it: users signed up through the
/// fake (password, <c>user_metadata</c>), sessions, refresh tokens (single-use; a used one is
/// <c>refresh_token_already_used</c>, GoTrue's answer once the 10 s reuse interval has passed) and the access tokens
/// the fake issued, by session. Thread-safe.
/// </summary>
public sealed class GoTrueFakeAccounts
{
    public sealed class User
    {
        public required Guid Id { get; init; }
        public required string Email { get; init; }
        public string? Password { get; set; }
        public JsonObject Metadata { get; set; } = [];
    }

    public sealed record Session(Guid Id, Guid UserId, string Email);

    private readonly Lock gate = new();
    private readonly Dictionary<string, User> users = [];
    private readonly Dictionary<Guid, User> usersById = [];
    private readonly HashSet<Guid> liveSessions = [];
    private readonly Dictionary<string, (Session Session, bool Used)> refreshTokens = [];
    private readonly Dictionary<string, Session> accessTokens = [];

    /// <summary>Registers a user; null when the e-mail is taken.</summary>
    public User? Register(string email, string password, JsonObject metadata)
    {
        lock (gate)
        {
            if (users.ContainsKey(email)) return null;
            var user = new User { Id = Guid.NewGuid(), Email = email, Password = password, Metadata = metadata };
            users[email] = user;
            usersById[user.Id] = user;
            return user;
        }
    }

    public User? Find(string email) { lock (gate) return users.GetValueOrDefault(email); }

    public User? Find(Guid id) { lock (gate) return usersById.GetValueOrDefault(id); }

    public Session StartSession(Guid userId, string email)
    {
        var session = new Session(Guid.NewGuid(), userId, email);
        lock (gate) liveSessions.Add(session.Id);
        return session;
    }

    /// <summary>A new opaque refresh token of the session (12 hex characters, like GoTrue's).</summary>
    public string NewRefreshToken(Session session)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        lock (gate) refreshTokens[token] = (session, false);
        return token;
    }

    public void RememberAccessToken(string token, Session session) { lock (gate) accessTokens[token] = session; }

    /// <summary>The session of an access token the fake issued, or null.</summary>
    public Session? SessionOf(string accessToken) { lock (gate) return accessTokens.GetValueOrDefault(accessToken); }

    public bool IsLive(Guid sessionId) { lock (gate) return liveSessions.Contains(sessionId); }

    /// <summary>Uses a refresh token up: its session, or the GoTrue error code.</summary>
    public (Session? Session, string? ErrorCode) UseRefreshToken(string token)
    {
        lock (gate)
        {
            if (!refreshTokens.TryGetValue(token, out var entry) || !liveSessions.Contains(entry.Session.Id)) return (null, "refresh_token_not_found");
            if (entry.Used) return (null, "refresh_token_already_used");
            refreshTokens[token] = (entry.Session, true);
            return (entry.Session, null);
        }
    }

    /// <summary>Ends the user's sessions: all, all but <paramref name="keep"/>, or only <paramref name="only"/>.</summary>
    public void EndSessions(Guid userId, Guid? keep = null, Guid? only = null)
    {
        lock (gate)
        {
            var ids = accessTokens.Values.Concat(refreshTokens.Values.Select(v => v.Session))
                .Where(s => s.UserId == userId && (only is null || s.Id == only) && s.Id != keep).Select(s => s.Id).ToHashSet();
            liveSessions.ExceptWith(ids);
        }
    }

    /// <summary>Merges <paramref name="patch"/> into the user's metadata key by key; a null value removes the key (as GoTrue).</summary>
    public void MergeMetadata(User user, JsonElement patch)
    {
        lock (gate)
        {
            foreach (var p in patch.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Null) user.Metadata.Remove(p.Name);
                else user.Metadata[p.Name] = JsonNode.Parse(p.Value.GetRawText());
            }
        }
    }
}
