using System.ComponentModel.DataAnnotations;

namespace Webhooks.Receiver.Extensions;

/// <summary>
/// The parts of the <c>Orleans</c> section (in the key names Aspire's Orleans integration emits) that the receiver
/// checks on start; Orleans itself reads the whole section.
/// </summary>
internal sealed class SiloSettings
{
    public const string SectionName = "Orleans";

    [Required(ErrorMessage = "Orleans:ClusterId is not set: start the stack with 'dotnet run --project AppHost', or set Orleans__ClusterId.")]
    public string? ClusterId { get; set; }

    public SiloEndpoints Endpoints { get; set; } = new();

    internal sealed class SiloEndpoints
    {
        /// <summary>The address other silos reach this one at; loopback when not set (one machine).</summary>
        public string? AdvertisedIPAddress { get; set; }
    }
}
