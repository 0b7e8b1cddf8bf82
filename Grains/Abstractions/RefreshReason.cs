namespace Webhooks.Grains.Abstractions;

/// <summary>Why a warehouse was asked to refresh.</summary>
[GenerateSerializer, Alias("Webhooks.RefreshReason")]
public enum RefreshReason
{
    /// <summary>A push moved refs the warehouse follows.</summary>
    Push,

    /// <summary>A Data Center mirror synchronised more refs than it could list: everything is refreshed.</summary>
    Mirror,

    /// <summary><c>POST …/warehouses/{name}/refresh</c>.</summary>
    Manual,

    /// <summary>The git-mode interval elapsed.</summary>
    Interval,
}
