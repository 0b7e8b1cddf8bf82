using System.ComponentModel.DataAnnotations;

namespace Webhooks.Receiver.Ingress;

/// <summary>The <c>Webhooks:Ingress</c> settings.</summary>
public sealed class IngressOptions
{
    public const string SectionName = "Webhooks:Ingress";

    /// <summary>Largest body accepted (413 above). Bitbucket Cloud itself drops payloads over 256 KB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long the whole body may take to arrive (408 after): a body trickled just fast enough to pass Kestrel's
    /// minimum data rate would otherwise hold a request for an hour. Bitbucket Cloud gives up after 10 s itself.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a delivery id or body hash is remembered as seen, in Redis, for the fast duplicate check.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Failed authentications allowed per remote address per <see cref="FailureWindow"/> before 429.</summary>
    [Range(1, 100_000)]
    public int FailuresPerAddress { get; set; } = 30;

    /// <summary>Failed authentications allowed per receiver per <see cref="FailureWindow"/> before 429.</summary>
    [Range(1, 100_000)]
    public int FailuresPerReceiver { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an accepted request may wait for its history row to commit before answering 503; also how long a
    /// receiver lookup that has to read PostgreSQL may take (EF Core's retries included).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
