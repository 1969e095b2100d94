namespace IgLive.Service.Features.LocalAuth.GoTrue;

/// <summary>GoTrue's e-mail checks (<c>validateEmail</c>): present, at most 255 characters, one local part and a dotted domain.</summary>
public static class GoTrueEmail
{
    /// <summary>GoTrue's message for an unacceptable address, or null when it is fine.</summary>
    public static string? Problem(string email)
    {
        if (email.Length == 0) return "An email address is required";
        if (email.Length > 255) return "An email address is too long";
        var at = email.IndexOf('@');
        var ok = at > 0 && at == email.LastIndexOf('@') && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.')
                 && !email.Any(char.IsWhiteSpace);
        return ok ? null : "Unable to validate email address: invalid format";
    }
}
