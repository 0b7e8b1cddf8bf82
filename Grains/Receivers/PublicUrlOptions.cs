namespace Webhooks.Grains.Receivers;

/// <summary>The <c>Webhooks</c> settings that shape the URLs handed to Bitbucket.</summary>
public sealed class PublicUrlOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// The base URL Bitbucket reaches this service at (behind a proxy or tunnel, the request's own host is not it);
    /// when unset, receiver URLs are built from the request's scheme, host and path base.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public bool IsValid() =>
        string.IsNullOrWhiteSpace(PublicBaseUrl)
        || (Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
}
