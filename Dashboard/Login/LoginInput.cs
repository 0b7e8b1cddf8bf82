namespace Webhooks.Dashboard.Login;

/// <summary>The sign-in form.</summary>
public sealed class LoginInput
{
    public string? Token { get; set; }

    public string? ReturnUrl { get; set; }
}
