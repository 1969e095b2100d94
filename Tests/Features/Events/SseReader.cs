using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace IgLive.Service.Tests.Features.Events;

/// <summary>One event read off a text/event-stream response.</summary>
public sealed record SseEvent(string Event, string? Id, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

/// <summary>A Server-Sent Events client over an HttpClient: reads events as they arrive, with a timeout per wait.</summary>
public sealed class SseReader : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private SseReader(HttpResponseMessage response, Stream body)
    {
        this.response = response;
        reader = new StreamReader(body);
    }

    public HttpStatusCode Status => response.StatusCode;
    /// <summary>Comment lines seen (": ping").</summary>
    public List<string> Comments { get; } = [];

    /// <summary>Opens the stream; the response may be an error (see <see cref="Status"/>).</summary>
    public static async Task<SseReader> OpenAsync(HttpClient client, string url, string? lastEventId = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) req.Headers.Add("Last-Event-ID", lastEventId);
        var rsp = await client.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        return new SseReader(rsp, await rsp.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event (any name; comment lines come as event <c>:</c>), or null when the stream ended.</summary>
    public async Task<SseEvent?> NextAsync(TimeSpan? wait = null)
    {
        using var cts = new CancellationTokenSource(wait ?? DefaultWait);
        string? name = null, id = null;
        var data = new List<string>();
        while (true)
        {
            var line = await reader.ReadLineAsync(cts.Token);
            if (line is null) return null;
            if (line.Length == 0)
            {
                if (data.Count > 0) return new SseEvent(name ?? "message", id, string.Join('\n', data));
                name = null; id = null;
                continue;
            }
            if (line.StartsWith(':'))
            {
                Comments.Add(line);
                if (data.Count == 0) return new SseEvent(":", null, line); // a comment line (": ping") is reported as event ":"
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event": name = value; break;
                case "id": id = value; break;
                case "data": data.Add(value); break;
            }
        }
    }

    /// <summary>Skips events until one named <paramref name="name"/> (optionally matching) arrives; fails on timeout or end.</summary>
    public async Task<SseEvent> NextAsync(string name, Func<SseEvent, bool>? match = null, TimeSpan? wait = null)
    {
        using var cts = new CancellationTokenSource(wait ?? DefaultWait);
        while (true)
        {
            var e = await NextAsync(wait ?? DefaultWait) ?? throw new AssertionException($"stream ended while waiting for '{name}'");
            if (e.Event == name && (match is null || match(e))) return e;
            cts.Token.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// The next event of each name, in whatever order they arrive (events read independently, e.g. a comment and its
    /// video's counter); other events are skipped. Fails on timeout or end.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SseEvent>> NextOfEachAsync(params string[] names)
    {
        var seen = new Dictionary<string, SseEvent>();
        while (seen.Count < names.Length)
        {
            var e = await NextAsync() ?? throw new AssertionException($"stream ended while waiting for {string.Join(", ", names)}");
            if (names.Contains(e.Event)) seen.TryAdd(e.Event, e);
        }
        return seen;
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
