using Webhooks.Grains.Management;

namespace Webhooks.Grains.Deliveries;

/// <summary>
/// The delivery history as the management API reads it: checks a query as the client wrote it (limit, outcome,
/// cursor) and answers a page, or a <see cref="ManagementFailure"/> (invalid with the errors keyed by parameter, or not
/// found), like the other catalogs; the endpoint only translates.
/// </summary>
public sealed class DeliveryCatalog(DeliveryHistory history)
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = DeliveryHistory.MaxLimit;

    public async Task<ManagementResult<DeliveryListing>> ListAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var limit = query.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Use 1 to {MaxLimit}."];
        }

        DeliveryOutcome? outcome = null;
        if (query.Outcome is not null)
        {
            outcome = ParseOutcome(query.Outcome);
            if (outcome is null)
            {
                errors["outcome"] = [$"Use one of: {string.Join(", ", Enum.GetValues<DeliveryOutcome>().Select(o => o.ToString().ToLowerInvariant()))}."];
            }
        }

        DeliveryCursor? before = null;
        if (query.Before is not null)
        {
            if (DeliveryCursor.TryParse(query.Before, out var cursor))
            {
                before = cursor;
            }
            else
            {
                errors["before"] = ["Pass the 'next' value of the previous page unchanged."];
            }
        }

        if (errors.Count > 0)
        {
            return ManagementFailure.Invalid("The query is not valid.", errors);
        }

        var listing = await history.ListAsync(
            new DeliveryFilter(query.Project, query.Receiver, query.Event, outcome), before, limit, cancellationToken);
        return listing.Miss switch
        {
            DeliveryFilterMiss.UnknownProject => ManagementFailure.ProjectNotFound(query.Project!),
            DeliveryFilterMiss.UnknownReceiver when query.Project is null =>
                ManagementFailure.NotFound("Receiver not found", $"No project has a receiver named '{query.Receiver}'."),
            DeliveryFilterMiss.UnknownReceiver => ManagementFailure.ReceiverNotFound(query.Project!, query.Receiver!),
            _ => listing,
        };
    }

    public async Task<ManagementResult<DeliveryRecord>> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await history.GetAsync(id, cancellationToken) is { } delivery
            ? delivery
            : ManagementFailure.NotFound("Delivery not found", $"There is no delivery with id '{id}'.");

    private static DeliveryOutcome? ParseOutcome(string text) =>
        Enum.GetValues<DeliveryOutcome>().Cast<DeliveryOutcome?>()
            .FirstOrDefault(o => string.Equals(o.ToString(), text, StringComparison.OrdinalIgnoreCase));
}
