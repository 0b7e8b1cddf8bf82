namespace Webhooks.Dashboard.Warehouses;

/// <summary>How git mode authenticates to a repository, as the subscriptions editor offers it.</summary>
public enum CredentialsKind
{
    None,

    /// <summary>Keep the credentials stored for this repository URL (they never come back out to be shown).</summary>
    Stored,

    /// <summary>User name and password, or an access token as the password (https).</summary>
    Password,

    /// <summary>An OpenSSH private key (ssh).</summary>
    SshKey,
}
