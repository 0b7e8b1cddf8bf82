using Webhooks.Grains.Events;

namespace Webhooks.Receiver.Ingress;

/// <summary>
/// One kind of ingress endpoint: finds the <see cref="IngressTarget"/> of a request (the "find receiver" step of the
/// pipeline). Built per request by the endpoint; <see cref="BitbucketIngress"/> does everything else.
/// </summary>
internal abstract class IngressSource
{
    /// <summary>The partition of the failed-authentication limiter (never a credential shown to anyone).</summary>
    public abstract string LimiterKey { get; }

    /// <summary>The product assumed when the headers do not tell.</summary>
    public virtual BitbucketProduct DefaultProduct => BitbucketProduct.DataCenter;

    /// <summary>The 404 detail.</summary>
    public abstract string NotFoundDetail { get; }

    public abstract ValueTask<IngressResolution> ResolveAsync(HttpRequest request, CancellationToken cancellationToken);
}
