using System.Net;
using Webhooks.Grains.Notifications;

namespace Webhooks.Grains.Receivers;

/// <summary>
/// Whether Bitbucket can plausibly reach a receiver URL: one on a loopback or private address (or a name that only
/// resolves inside a machine or network, such as <c>localhost</c>) works for nobody outside, and Bitbucket Cloud is
/// always outside. Checked on the URL's text, without resolving names.
/// </summary>
public static class ReachabilityWarnings
{
    public static IReadOnlyList<string> For(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return [];
        }

        var host = uri.IdnHost.TrimEnd('.');
        var kind = IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? IPAddress.IsLoopback(address) ? "a loopback address" : PrivateNetworkGuard.IsPrivate(address) ? "a private address" : null
            : IsLocalName(host) ? "a name only this machine or network resolves" : null;
        if (kind is null)
        {
            return [];
        }

        return
        [
            $"The URL's host '{host}' is {kind}: Bitbucket Cloud cannot reach it, and Bitbucket Data Center only from the same network. " +
            "Set Webhooks:PublicBaseUrl (environment variable Webhooks__PublicBaseUrl) to the address Bitbucket reaches this service at, " +
            "such as https://webhooks.example.com, then copy the URL again.",
        ];
    }

    private static bool IsLocalName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
        || !host.Contains('.');
}
