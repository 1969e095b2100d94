using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using IgLive.Service.Tests.Fakes;
using IgLive.Service.Tests.Infrastructure;

namespace IgLive.Service.Tests.Features.Videos.GetImageKitAuth;

[TestFixture]
public sealed class GetImageKitAuthTests
{
    private ImageKitFake imageKit = null!;
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        imageKit = new ImageKitFake();
        var settings = imageKit.Settings("/clips");
        settings["Storage:Provider"] = "ImageKit";
        app = await ServiceFactory.CreateAsync(settings);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        imageKit.Dispose();
    }

    [Test]
    public async Task Returns_a_fresh_token_signed_with_hmac_sha1_of_token_and_expire()
    {
        var user = await app.CreateUserAsync();
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();

        var auth = await (await user.Client.GetAsync("/api/auth/imagekit")).JsonAsync();
        var second = await (await user.Client.GetAsync("/api/auth/imagekit")).JsonAsync();

        var token = auth.GetProperty("token").GetString()!;
        var expire = auth.GetProperty("expire").GetInt64();
#pragma warning disable CA5350 // ImageKit's protocol
        var expected = Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(ImageKitFake.PrivateKey),
            Encoding.UTF8.GetBytes(token + expire.ToString(CultureInfo.InvariantCulture))));
#pragma warning restore CA5350
        Assert.Multiple(() =>
        {
            Assert.That(Guid.TryParse(token, out _), Is.True);
            Assert.That(second.GetProperty("token").GetString(), Is.Not.EqualTo(token));
            Assert.That(expire, Is.InRange(now + 25 * 60, now + 59 * 60), "in the future, less than an hour away");
            Assert.That(auth.GetProperty("signature").GetString(), Is.EqualTo(expected));
            Assert.That(auth.GetProperty("public_key").GetString(), Is.EqualTo(ImageKitFake.PublicKey));
            Assert.That(auth.GetProperty("url_endpoint").GetString(), Is.EqualTo(ImageKitFake.UrlEndpoint));
            Assert.That(auth.GetProperty("folder").GetString(), Is.EqualTo("/clips"));
            Assert.That(auth.ToString(), Does.Not.Contain(ImageKitFake.PrivateKey));
        });
    }

    [Test]
    public async Task Requires_authentication()
        => await (await app.CreateClient().GetAsync("/api/auth/imagekit")).AssertProblemAsync(HttpStatusCode.Unauthorized);

    [Test]
    public async Task Is_404_with_local_storage()
    {
        await using var local = await ServiceFactory.CreateAsync();
        var user = await local.CreateUserAsync();
        await (await user.Client.GetAsync("/api/auth/imagekit")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
