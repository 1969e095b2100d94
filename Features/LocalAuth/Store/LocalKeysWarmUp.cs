namespace IgLive.Service.Features.LocalAuth.Store;

/// <summary>
/// Loads (and on first start generates) the local keys when the service starts rather than on the first request: a bad
/// <c>Auth:SigningKey</c> stops the start-up, and <c>./run.sh</c> finds the key files to print once the service is ready.
/// </summary>
public sealed class LocalKeysWarmUp(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ApiKeys>();
        _ = services.GetRequiredService<LocalSigningKeys>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
