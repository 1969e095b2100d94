// bench/events client. Modes:
//   idle URL N VIDEO SECONDS        open N anonymous streams of one video, hold them SECONDS, report pings received
//   latency URL TOKENS VIDEO SUBS LIKES   SUBS streams of VIDEO; LIKES likes (one user each, 400 ms apart);
//                                   per like and subscriber: time from the like's response (commit done) to the event
//   notify CONNSTRING COUNT         baseline: commit of a pg_notify → arrival at one LISTEN connection
//   sql DLL TYPE FIELD              prints a const string of the service build (the SQL a slice sends), for pgbench
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using Npgsql;

var mode = args[0];
if (mode == "notify") { await Notify(args[1], int.Parse(args[2])); return; }
if (mode == "sql")
{
    var field = Assembly.LoadFrom(args[1]).GetType(args[2], throwOnError: true)!
        .GetField(args[3], BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
    Console.Write(field.GetRawConstantValue());
    return;
}

var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{ BaseAddress = new Uri(args[1]), Timeout = Timeout.InfiniteTimeSpan };

if (mode == "idle") await Idle(int.Parse(args[2]), args[3], int.Parse(args[4]));
else if (mode == "latency") await Latency(File.ReadAllLines(args[2]), args[3], int.Parse(args[4]), int.Parse(args[5]));

async Task<StreamReader> Open(string url)
{
    var req = new HttpRequestMessage(HttpMethod.Get, url);
    req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
    var rsp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
    rsp.EnsureSuccessStatusCode();
    return new StreamReader(await rsp.Content.ReadAsStreamAsync());
}

async Task Idle(int n, string video, int seconds)
{
    var pings = 0L;
    var opened = 0;
    var ready = new TaskCompletionSource();
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 600));
    var sw = Stopwatch.StartNew();
    var tasks = Enumerable.Range(0, n).Select(async i =>
    {
        await Task.Delay(i / 50); // ~50 connections per ms at most
        var r = await Open($"/api/events?videos={video}");
        var first = true;
        while (await r.ReadLineAsync(stop.Token) is { } line)
        {
            if (line.StartsWith("event: video") && first) { first = false; if (Interlocked.Increment(ref opened) == n) ready.TrySetResult(); }
            else if (line == ": ping") Interlocked.Increment(ref pings);
        }
    }).ToList();
    await Task.WhenAny(ready.Task, Task.WhenAll(tasks));
    Console.WriteLine($"OPEN {opened} streams in {sw.Elapsed.TotalSeconds:F1} s");
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Console.WriteLine($"HELD {seconds} s; pings received {Interlocked.Read(ref pings)} (~{(double)pings / n:F1} per stream)");
    Environment.Exit(0);
}

async Task Latency(string[] tokens, string video, int subs, int likes)
{
    var arrivals = new ConcurrentDictionary<long, ConcurrentBag<long>>();
    var opened = 0;
    var ready = new TaskCompletionSource();
    long baseCount = -1;
    var readers = Enumerable.Range(0, subs).Select(async i =>
    {
        await Task.Delay(i / 20);
        var r = await Open($"/api/events?videos={video}");
        var first = true;
        while (await r.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ")) continue;
            var now = Stopwatch.GetTimestamp();
            var count = JsonDocument.Parse(line.AsMemory(6)).RootElement.GetProperty("likes_count").GetInt64();
            if (first) { first = false; Interlocked.CompareExchange(ref baseCount, count, -1); if (Interlocked.Increment(ref opened) == subs) ready.TrySetResult(); continue; }
            arrivals.GetOrAdd(count, _ => []).Add(now);
        }
    }).ToList();
    await ready.Task;
    Console.WriteLine($"OPEN {subs} subscribers of {video}");
    var responded = new Dictionary<long, (long Sent, long Done)>();
    for (var i = 0; i < likes; i++)
    {
        var token = tokens[i].Split(' ')[1];
        var req = new HttpRequestMessage(HttpMethod.Put, $"/api/videos/{video}/like");
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var sent = Stopwatch.GetTimestamp();
        var rsp = await http.SendAsync(req);
        var done = Stopwatch.GetTimestamp();
        var body = JsonDocument.Parse(await rsp.Content.ReadAsStringAsync()).RootElement;
        responded[body.GetProperty("likes_count").GetInt64()] = (sent, done);
        await Task.Delay(400);
    }
    await Task.Delay(2000);
    var fromDone = new List<double>();
    var fromSent = new List<double>();
    var missing = 0;
    foreach (var (count, (sent, done)) in responded)
    {
        var got = arrivals.TryGetValue(count, out var bag) ? bag.ToArray() : [];
        missing += subs - got.Length;
        foreach (var t in got)
        {
            fromDone.Add(Stopwatch.GetElapsedTime(done, t).TotalMilliseconds);
            fromSent.Add(Stopwatch.GetElapsedTime(sent, t).TotalMilliseconds);
        }
    }
    Console.WriteLine($"RESULT likes={responded.Count} samples={fromDone.Count} missing={missing} " +
        $"after_response_ms p50={P(fromDone, 50):F1} p99={P(fromDone, 99):F1} max={fromDone.DefaultIfEmpty().Max():F1} " +
        $"after_request_ms p50={P(fromSent, 50):F1} p99={P(fromSent, 99):F1}");
    Environment.Exit(0);
}

async Task Notify(string cs, int count)
{
    await using var listen = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString);
    await listen.OpenAsync();
    var got = new ConcurrentDictionary<int, long>();
    listen.Notification += (_, e) => got[int.Parse(e.Payload)] = Stopwatch.GetTimestamp();
    await using (var c = new NpgsqlCommand("LISTEN bench_baseline", listen)) await c.ExecuteNonQueryAsync();
    _ = Task.Run(async () => { while (true) await listen.WaitAsync(); });
    await using var send = new NpgsqlConnection(cs);
    await send.OpenAsync();
    var lat = new List<double>();
    for (var i = 0; i < count; i++)
    {
        await using (var tx = await send.BeginTransactionAsync())
        {
            await using (var c = new NpgsqlCommand($"SELECT pg_notify('bench_baseline', '{i}')", send, tx)) await c.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        var done = Stopwatch.GetTimestamp();
        var sw = Stopwatch.StartNew();
        while (!got.ContainsKey(i) && sw.ElapsedMilliseconds < 2000) await Task.Delay(0);
        if (got.TryGetValue(i, out var t)) lat.Add(Stopwatch.GetElapsedTime(done, t).TotalMilliseconds);
        await Task.Delay(20);
    }
    Console.WriteLine($"RESULT notify samples={lat.Count} after_commit_ms p50={P(lat, 50):F2} p99={P(lat, 99):F2}");
}

static double P(List<double> xs, int p)
{
    if (xs.Count == 0) return double.NaN;
    xs.Sort();
    return xs[Math.Min(xs.Count - 1, (int)Math.Ceiling(p / 100.0 * xs.Count) - 1)];
}
