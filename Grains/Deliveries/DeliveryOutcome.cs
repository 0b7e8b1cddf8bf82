namespace Webhooks.Grains.Deliveries;

/// <summary>What ingress answered to a request, as recorded in the history.</summary>
public enum DeliveryOutcome
{
    Accepted,
    Duplicate,
    Ignored,
    Pong,
    Rejected,
}
