using System.Net.Http.Headers;

namespace IgLive.Service.Infrastructure.Problems;

/// <summary>An upstream's standard <c>Retry-After</c> answer.</summary>
public static class RetryAfterHeader
{
    /// <summary>The wait it asks for (a date already past counts as one second), or null when it says nothing.</summary>
    public static TimeSpan? Read(HttpResponseHeaders headers) => headers.RetryAfter switch
    {
        { Delta: { } d } => d,
        { Date: { } date } => date - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.FromSeconds(1),
        _ => null,
    };
}
