using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Webhooks.Grains.Receivers;

/// <summary>Builds the absolute URL Bitbucket must post a receiver's events to.</summary>
public sealed class ReceiverUrls(IOptionsMonitor<PublicUrlOptions> options, IConfiguration configuration)
{
    public const string IngressPrefix = "/webhooks/bitbucket/";

    /// <summary>
    /// The receiver URL under <c>Webhooks:PublicBaseUrl</c> when it is set; otherwise under
    /// <paramref name="requestBaseUrl"/> (the scheme, host and path base the management API was called at), and for
    /// callers that are not the receiver (the dashboard) under the first receiver's address from service discovery.
    /// </summary>
    public string For(string? requestBaseUrl, string receiverPath)
    {
        var configured = options.CurrentValue.PublicBaseUrl;
        var baseUrl = !string.IsNullOrWhiteSpace(configured) ? configured
            : !string.IsNullOrWhiteSpace(requestBaseUrl) ? requestBaseUrl
            : configuration["services:receiver:http:0"] ?? configuration["services:receiver:https:0"] ?? "";
        return $"{baseUrl.TrimEnd('/')}{IngressPrefix}{receiverPath}";
    }
}
