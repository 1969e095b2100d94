namespace IgLive.Service.Tests.Infrastructure;

/// <summary>
/// Base of the fixtures that need one plain service (<see cref="ServiceFactory.CreateAsync"/> with its defaults): started
/// once on its own migrated database before the first test, disposed after the last.
/// </summary>
public abstract class ServiceFixture
{
    /// <summary>The fixture's service.</summary>
    protected ServiceFactory App { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task Start() => App = await ServiceFactory.CreateAsync();

    [OneTimeTearDown]
    public async Task Stop() => await App.DisposeAsync();
}
