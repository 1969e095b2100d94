using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IgLive.Service.Tests.Infrastructure;

[TestFixture]
public sealed class ProblemsTests
{
    private ServiceFactory app = null!;

    [OneTimeSetUp]
    public async Task Start() => app = await ServiceFactory.CreateAsync(new Dictionary<string, string?> { ["Upload:MaxBytes"] = "1000" },
        s => s.AddSingleton<IStartupFilter>(new ThrowingRouteFilter()));

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task Unknown_route_is_a_404_problem()
    {
        var rsp = await app.CreateClient().GetAsync("/api/nothing-here");
        await rsp.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Wrong_method_is_a_405_problem()
    {
        var rsp = await app.CreateClient().DeleteAsync("/api/users/someone");
        await rsp.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task Validation_errors_are_snake_case_fields()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PatchAsJsonAsync("/api/me", new { username = "No Spaces!", display_name = new string('x', 101) });
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(problem.FieldErrors("username"), Is.Not.Empty);
            Assert.That(problem.FieldErrors("display_name"), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Malformed_json_is_a_400_problem()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PatchAsync("/api/me", new StringContent("{\"username\": ", Encoding.UTF8, "application/json"));
        await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Text_the_database_cannot_store_is_a_400_not_a_500()
    {
        var anonymous = app.CreateClient();
        var login = await anonymous.PostAsync("/api/auth/login",
            new StringContent("{\"email\":\"a\\u0000b@example.test\",\"password\":\"whatever1\"}", Encoding.UTF8, "application/json"));
        Assert.That((int)login.StatusCode, Is.InRange(400, 401), await login.Content.ReadAsStringAsync());

        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PatchAsync("/api/me", new StringContent("{\"bio\":\"nul \\u0000 here\"}", Encoding.UTF8, "application/json"));
        await rsp.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Wrong_content_type_is_a_415_problem()
    {
        var user = await app.CreateUserAsync();
        var rsp = await user.Client.PatchAsync("/api/me", new StringContent("username=abc", Encoding.UTF8, "text/plain"));
        await rsp.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task Missing_token_is_a_401_problem_with_www_authenticate()
    {
        var rsp = await app.CreateClient().GetAsync("/api/me");
        await rsp.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(rsp.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [Test]
    public async Task Unhandled_exception_is_a_500_problem_without_details()
    {
        var rsp = await app.CreateClient().GetAsync("/test/throw");
        var problem = await rsp.AssertProblemAsync(HttpStatusCode.InternalServerError);
        Assert.That(problem.GetRawText(), Does.Not.Contain("secret-detail"));
    }

    [Test]
    public async Task Body_too_large_is_a_413_problem()
    {
        var rsp = await app.CreateClient().PostAsync("/test/limited", new ByteArrayContent(new byte[5000]));
        await rsp.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>Adds routes that fail on purpose: an exception carrying a secret, and a small body limit.</summary>
    private sealed class ThrowingRouteFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            next(builder);
            builder.Map("/test/throw", b => b.Run(_ => throw new InvalidOperationException("secret-detail Host=db;Password=x")));
            // What Kestrel throws when a body exceeds MaxRequestBodySize (TestServer does not enforce the limit itself).
            builder.Map("/test/limited", b => b.Run(_ => throw new BadHttpRequestException("Request body too large.", 413)));
        };
    }
}
