using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Management;

/// <summary>Builds the absolute URL Bitbucket must post a receiver's events to.</summary>
internal sealed class ReceiverUrls(IOptionsMonitor<PublicUrlOptions> options)
{
    public const string IngressPrefix = "/webhooks/bitbucket/";

    public string For(HttpRequest request, string receiverPath)
    {
        var configured = options.CurrentValue.PublicBaseUrl;
        var baseUrl = string.IsNullOrWhiteSpace(configured)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : configured;
        return $"{baseUrl.TrimEnd('/')}{IngressPrefix}{receiverPath}";
    }
}
