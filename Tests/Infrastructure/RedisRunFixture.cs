using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests;

/// <summary>Stops the run's shared Redis (<see cref="RedisServer.Shared"/>) after the last test of every namespace.</summary>
[SetUpFixture]
public sealed class RedisRunFixture
{
    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (RedisServer.SharedStarted) await (await RedisServer.Shared).DisposeAsync();
    }
}
