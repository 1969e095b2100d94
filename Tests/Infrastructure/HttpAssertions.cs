using System.Net;
using System.Text.Json;

namespace IgLive.Service.Tests.Infrastructure;

public static class HttpAssertions
{
    /// <summary>Asserts the status and a contract-shaped problem body; returns the parsed body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage rsp, HttpStatusCode status)
    {
        var body = await rsp.Content.ReadAsStringAsync();
        Assert.That(rsp.StatusCode, Is.EqualTo(status), body);
        Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
            Assert.That(json.GetProperty("type").GetString(), Is.Not.Empty);
            Assert.That(json.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(json.GetProperty("detail").GetString(), Is.Not.Empty);
            Assert.That(json.GetProperty("instance").GetString(), Does.StartWith("/"));
            Assert.That(json.GetProperty("trace_id").GetString(), Is.Not.Empty);
            Assert.That(body, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace or exception text");
        });
        return json;
    }

    /// <summary>The messages of one field in a validation problem's <c>errors</c>.</summary>
    public static string[] FieldErrors(this JsonElement problem, string field)
        => problem.GetProperty("errors").TryGetProperty(field, out var e) ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage rsp, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await rsp.Content.ReadAsStringAsync();
        Assert.That(rsp.StatusCode, Is.EqualTo(expected), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
