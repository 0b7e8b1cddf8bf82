using Webhooks.Grains.Receivers;

namespace Webhooks.Dashboard.Receivers;

/// <summary>
/// What the receiver edit form holds: everything but the URL and the secret, which an edit never changes (Bitbucket
/// keeps delivering). <see cref="ToRequest"/> sends every field, so a blank one clears it.
/// </summary>
public sealed class ReceiverEdit
{
    public string? ServerUrl { get; set; }

    /// <summary>CIDR blocks or addresses, one per line or separated by commas; blank for any address.</summary>
    public string? AllowedNetworks { get; set; }

    public string? Description { get; set; }

    public UpdateReceiverRequest ToRequest() => new(
        ServerUrl?.Trim() ?? "",
        (AllowedNetworks ?? "").Split([',', '\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries),
        Description?.Trim() ?? "");

    public static ReceiverEdit From(ReceiverView view) => new()
    {
        ServerUrl = view.ServerUrl,
        AllowedNetworks = string.Join("\n", view.AllowedNetworks),
        Description = view.Description,
    };
}
