using Webhooks.Grains.Warehouses;

namespace Webhooks.Dashboard.Warehouses;

/// <summary>One subscription as the editor holds it while the operator types; <see cref="ToRequest"/> is what gets validated.</summary>
public sealed class SubscriptionForm
{
    public string? RepoUrl { get; set; }

    public string? Branch { get; set; }

    public string? Tag { get; set; }

    /// <summary><c>payload</c> (heads from the signed push) or <c>git</c> (list the repository's refs).</summary>
    public string Discovery { get; set; } = "payload";

    public CredentialsKind Credentials { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? SshPrivateKey { get; set; }

    /// <summary>The stored subscription had credentials: they never come back out, but saving keeps them (<see cref="CredentialsKind.Stored"/>).</summary>
    public bool HadCredentials { get; init; }

    public SubscriptionRequest ToRequest() => new(
        RepoUrl?.Trim(),
        NullIfBlank(Branch),
        NullIfBlank(Tag),
        Discovery,
        Credentials switch
        {
            CredentialsKind.Password => new CredentialsRequest(NullIfBlank(Username), Password, null),
            CredentialsKind.SshKey => new CredentialsRequest(null, null, SshPrivateKey),
            _ => null,
        },
        // Choosing None for a subscription that had credentials removes them; anything else left out is kept.
        Credentials == CredentialsKind.None && HadCredentials ? true : null);

    public static SubscriptionForm From(SubscriptionView view) => new()
    {
        RepoUrl = view.RepoUrl,
        Branch = view.Branch,
        Tag = view.Tag,
        Discovery = view.Discovery,
        HadCredentials = view.HasCredentials,
        Credentials = view.HasCredentials ? CredentialsKind.Stored : CredentialsKind.None,
    };

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
