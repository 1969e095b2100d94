using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using IgLive.Service.Tests.Fakes;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>Supabase Auth that cannot be reached at all.</summary>
[TestFixture]
public sealed class SupabaseAuthClientTests
{
    [Test]
    public async Task Refused_connection_is_a_503_with_retry_after()
    {
        await using var app = await ServiceFactory.CreateAsync(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Supabase",
            ["Supabase:Url"] = $"http://127.0.0.1:{ClosedPort()}",
            ["Supabase:AnonKey"] = SupabaseAuthFake.AnonKey,
            ["Supabase:TimeoutSeconds"] = "5",
        });

        var rsp = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "a@example.test", password = "whatever-1" });

        await rsp.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.That(rsp.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
    }

    /// <summary>A port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
