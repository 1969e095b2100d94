using IgLive.Service.Infrastructure.Configuration;
using StackExchange.Redis;

namespace IgLive.Service.Infrastructure.RateLimiting;

/// <summary>
/// Section <c>Redis</c>: where the rate limits of all instances are counted. Without a connection string every
/// instance counts in its own memory (one instance is then exact; N instances allow N times the budget).
/// </summary>
public sealed class RedisOptions : ISectionOptions
{
    public string Section => "Redis";
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=…</c>; empty = limits in memory.</summary>
    public string? ConnectionString { get; set; }
    /// <summary>Prefix of every key this service writes, so one Redis can serve several deployments.</summary>
    public string KeyPrefix { get; set; } = "iglive";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);

    public IEnumerable<string> Problems(IConfiguration config)
    {
        if (IsConfigured && TryParse(ConnectionString!) is null)
            yield return "Redis__ConnectionString is not a valid StackExchange.Redis configuration string (e.g. redis:6379,password=…).";
        if (string.IsNullOrWhiteSpace(KeyPrefix) || KeyPrefix.Any(char.IsWhiteSpace))
            yield return "Redis__KeyPrefix must be a non-empty word without spaces.";
    }

    /// <summary>
    /// The connection settings with this service's defaults for what the string leaves out: never abort when Redis is
    /// down at start (keep reconnecting), fail commands at once while disconnected instead of queueing them, and short
    /// timeouts, so a Redis outage costs a request at most a second before the limits fall back to memory.
    /// </summary>
    public ConfigurationOptions Connection()
    {
        var c = TryParse(ConnectionString!) ?? throw new InvalidOperationException("Redis__ConnectionString is invalid");
        bool Given(string key) => ConnectionString!.Contains(key + "=", StringComparison.OrdinalIgnoreCase);
        c.AbortOnConnectFail = false;
        c.BacklogPolicy = BacklogPolicy.FailFast;
        if (!Given("connectTimeout")) c.ConnectTimeout = 2000;
        if (!Given("syncTimeout")) c.SyncTimeout = 1000;
        if (!Given("asyncTimeout")) c.AsyncTimeout = 1000;
        if (!Given("connectRetry")) c.ConnectRetry = 1;
        c.ReconnectRetryPolicy = new LinearRetry(1000); // back to shared limits within seconds of Redis returning
        c.ClientName ??= "iglive-service";
        return c;
    }

    private static ConfigurationOptions? TryParse(string value)
    {
        try
        {
            var c = ConfigurationOptions.Parse(value);
            return c.EndPoints.Count > 0 ? c : null;
        }
        catch (ArgumentException) { return null; }
        catch (RedisConnectionException) { return null; }
    }
}
