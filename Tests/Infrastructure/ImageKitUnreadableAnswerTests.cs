using IgLive.Service.Infrastructure.ImageKit;
using IgLive.Service.Infrastructure.Problems;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace IgLive.Service.Tests.Infrastructure;

/// <summary>An ImageKit that answers 200 with a body that is not its documented JSON: a 502, never an unmapped exception.</summary>
[TestFixture]
public sealed class ImageKitUnreadableAnswerTests
{
    private WireMockServer server = null!;
    private ServiceProvider sp = null!;

    [OneTimeSetUp]
    public void Start()
    {
        server = WireMockServer.Start();
        server.Given(Request.Create().UsingAnyMethod().WithPath("/*"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("<html>gateway</html>"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<ImageKitOptions>(o =>
        {
            o.PublicKey = "public_test"; o.PrivateKey = "private_test"; o.UrlEndpoint = "https://ik.example.test/demo";
            o.UploadBaseUrl = server.Url!; o.ApiBaseUrl = server.Url!; o.ApiTimeoutSeconds = 20; o.ApiRetries = 0;
        });
        services.AddImageKit();
        sp = services.BuildServiceProvider();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await sp.DisposeAsync();
        server.Stop();
        server.Dispose();
    }

    [Test]
    public async Task Details_with_a_garbage_body_is_a_bad_gateway()
    {
        var e = await Assert.ThrowsAsync<UpstreamException>(() => sp.GetRequiredService<ImageKitClient>().GetFileAsync("abc", CancellationToken.None));
        Assert.That(e!.StatusCode, Is.EqualTo(502), e.ToString());
    }

    [Test]
    public async Task Bulk_delete_with_a_garbage_body_is_a_bad_gateway()
    {
        var e = await Assert.ThrowsAsync<UpstreamException>(() => sp.GetRequiredService<ImageKitClient>().BulkDeleteAsync(["a", "b"], CancellationToken.None));
        Assert.That(e!.StatusCode, Is.EqualTo(502), e.ToString());
    }
}
