namespace Webhooks.Grains.Discovery;

/// <summary>
/// Credentials for listing a repository's refs: user name and password or access token for https; for ssh, a
/// private key (OpenSSH format). Stored encrypted with the subscription; never logged.
/// </summary>
public sealed record GitCredentials(string? Username, string? Password, string? SshPrivateKey = null);
