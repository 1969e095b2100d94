namespace IgLive.Service.Infrastructure.Auth;

/// <summary>The token of an <c>Authorization: Bearer …</c> header.</summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <summary>The token (trimmed), or null when the request carries no bearer credentials.</summary>
    public static string? Read(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length
            ? header[Scheme.Length..].Trim()
            : null;
    }
}
