using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
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
    public async Task Returns_a_v2_token_signing_the_callers_folder_a_fresh_name_and_no_overwrite()
    {
        var user = await app.CreateUserAsync();
        var now = app.Clock.GetUtcNow().ToUnixTimeSeconds();

        var auth = await (await user.Client.GetAsync("/api/auth/imagekit")).JsonAsync();
        var second = await (await user.Client.GetAsync("/api/auth/imagekit")).JsonAsync();

        var token = auth.GetProperty("token").GetString()!;
        var parts = token.Split('.');
        Assert.That(parts, Has.Length.EqualTo(3));
        var expected = Base64UrlEncoder.Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ImageKitFake.PrivateKey), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));
        using var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[0]));
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[1]));
        var p = payload.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(parts[2], Is.EqualTo(expected), "HMAC-SHA256 with the private key");
            Assert.That(header.RootElement.GetProperty("alg").GetString(), Is.EqualTo("HS256"));
            Assert.That(header.RootElement.GetProperty("kid").GetString(), Is.EqualTo(ImageKitFake.PublicKey));
            Assert.That(p.GetProperty("folder").GetString(), Is.EqualTo($"/clips/u/{user.Id:N}"));
            Assert.That(p.GetProperty("fileName").GetString(), Is.EqualTo(auth.GetProperty("file_name").GetString()).And.EndsWith(".mp4"));
            Assert.That(p.GetProperty("useUniqueFileName").GetString(), Is.EqualTo("false"));
            Assert.That(p.GetProperty("overwriteFile").GetString(), Is.EqualTo("false"));
            Assert.That(p.GetProperty("exp").GetInt64(), Is.InRange(now + 25 * 60, now + 59 * 60), "in the future, less than an hour away");
            Assert.That(p.GetProperty("iat").GetInt64(), Is.InRange(now - 5, now + 5));
            Assert.That(auth.GetProperty("folder").GetString(), Is.EqualTo(p.GetProperty("folder").GetString()));
            Assert.That(auth.GetProperty("upload_url").GetString(), Does.EndWith("/api/v2/files/upload"));
            Assert.That(second.GetProperty("file_name").GetString(), Is.Not.EqualTo(auth.GetProperty("file_name").GetString()));
            Assert.That(auth.GetProperty("public_key").GetString(), Is.EqualTo(ImageKitFake.PublicKey));
            Assert.That(auth.GetProperty("url_endpoint").GetString(), Is.EqualTo(ImageKitFake.UrlEndpoint));
            Assert.That(auth.ToString(), Does.Not.Contain(ImageKitFake.PrivateKey));
        });
    }

    [Test]
    public async Task An_unknown_extension_is_a_400()
        => await (await (await app.CreateUserAsync()).Client.GetAsync("/api/auth/imagekit?extension=exe")).AssertProblemAsync(HttpStatusCode.BadRequest);

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
