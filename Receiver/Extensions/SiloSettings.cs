using System.ComponentModel.DataAnnotations;

namespace Webhooks.Receiver.Extensions;

/// <summary>The <c>Orleans</c> configuration section, in the key names Aspire's Orleans integration emits.</summary>
internal sealed class SiloSettings
{
    public const string SectionName = "Orleans";

    [Required]
    public string ClusterId { get; set; } = "webhooks";

    [Required]
    public string ServiceId { get; set; } = "webhooks";

    /// <summary>
    /// The silo's name in the cluster's membership (the AppHost passes the replica's, <c>receiver-0</c>); Orleans makes
    /// one up when it is not set.
    /// </summary>
    public string? SiloName { get; set; }

    public SiloEndpoints Endpoints { get; set; } = new();

    internal sealed class SiloEndpoints
    {
        [Range(1, 65535)]
        public int SiloPort { get; set; } = 11111;

        [Range(1, 65535)]
        public int GatewayPort { get; set; } = 30000;

        /// <summary>The address other silos reach this one at; loopback when not set (one machine).</summary>
        public string? AdvertisedIPAddress { get; set; }

        public bool ListenOnAnyHostAddress { get; set; }
    }
}
