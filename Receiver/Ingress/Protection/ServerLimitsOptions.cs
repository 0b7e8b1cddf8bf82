using System.ComponentModel.DataAnnotations;

namespace Webhooks.Receiver.Ingress.Protection;

/// <summary>
/// The <c>Webhooks:Server</c> settings: Kestrel's connection and request limits, set explicitly rather than left to
/// whatever the framework's defaults are in a given version. Bitbucket sends about a dozen short headers on a short
/// request line, all at once, so the limits sit far above what it needs and far below what would let one client hold
/// a thread or a megabyte of header buffers. The body's limits are <see cref="IngressOptions"/>'s.
/// </summary>
public sealed class ServerLimitsOptions
{
    public const string SectionName = "Webhooks:Server";

    /// <summary>More header fields than this: 431 from Kestrel, before any of our code runs.</summary>
    [Range(16, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Header fields larger than this in total: 431 from Kestrel.</summary>
    [Range(4 * 1024, 1024 * 1024)]
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>A longer request line (method, path with query, version): 414 from Kestrel.</summary>
    [Range(1024, 64 * 1024)]
    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    /// <summary>How long a client may take to send all its headers before Kestrel answers 408 and closes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The slowest a body may arrive, on average, after <see cref="MinRequestBodyDataRateGracePeriod"/>: a trickled
    /// body is cut off (408) rather than holding the request open.
    /// </summary>
    [Range(1, 1024 * 1024)]
    public double MinRequestBodyDataRate { get; set; } = 240;

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an idle keep-alive connection stays open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>Open connections allowed at once; unset means no limit (a reverse proxy in front usually has one).</summary>
    [Range(1, 1_000_000)]
    public long? MaxConcurrentConnections { get; set; }
}
