using Microsoft.AspNetCore.WebUtilities;
using Webhooks.Grains.Deliveries;

namespace Webhooks.Dashboard.Deliveries;

/// <summary>
/// The Deliveries page's filters as the operator sets them and as the URL carries them (<c>?project=acme&amp;outcome=rejected&amp;range=1h</c>),
/// so a filtered view can be linked to and survives a reload. Blank means "any". <see cref="RequestId"/> is Bitbucket's
/// <c>X-Request-UUID</c> / <c>X-Request-Id</c>; <see cref="Repository"/> is any part of a repository key or a clone URL.
/// </summary>
public sealed record DeliveryFilterInput(
    string? Project = null,
    string? Receiver = null,
    string? Event = null,
    string? Outcome = null,
    string? Range = null,
    string? RequestId = null,
    string? Repository = null)
{
    public static readonly IReadOnlyList<DeliveryOutcome> Outcomes = Enum.GetValues<DeliveryOutcome>();

    public bool IsEmpty => ToQuery().Count == 0;

    public DeliveryTimeRange TimeRange => DeliveryTimeRange.Parse(Range);

    /// <summary>
    /// The history query these filters mean at <paramref name="now"/>: blanks dropped, the outcome's wire name parsed
    /// (an unknown one matches nothing rather than everything), the time range turned into a lower bound.
    /// </summary>
    public DeliveryFilter ToFilter(DateTimeOffset now) => new(
        Project: Blank(Project),
        Receiver: Blank(Receiver),
        Event: Blank(Event),
        Outcome: ParseOutcome(Outcome),
        Since: TimeRange.Length is { } length ? now - length : null,
        RequestId: Blank(RequestId),
        Repository: Blank(Repository));

    /// <summary>True when the outcome names none of ours: the page says so instead of listing everything.</summary>
    public bool HasUnknownOutcome => Blank(Outcome) is not null && ParseOutcome(Outcome) is null;

    /// <summary>The query string parameters, blanks and defaults left out.</summary>
    public Dictionary<string, string?> ToQuery()
    {
        var query = new Dictionary<string, string?>();
        Add("project", Project);
        Add("receiver", Receiver);
        Add("event", Event);
        Add("outcome", Outcome);
        Add("requestId", RequestId);
        Add("repository", Repository);
        if (TimeRange != DeliveryTimeRange.Any)
        {
            query["range"] = TimeRange.Name;
        }

        return query;

        void Add(string name, string? value)
        {
            if (Blank(value) is { } text)
            {
                query[name] = text;
            }
        }
    }

    /// <summary><c>/deliveries</c> with these filters.</summary>
    public string ToUrl(string path = "/deliveries") => QueryHelpers.AddQueryString(path, ToQuery());

    public static string WireName(DeliveryOutcome outcome) => outcome.ToString().ToLowerInvariant();

    private static DeliveryOutcome? ParseOutcome(string? text) =>
        Blank(text) is { } name
            ? Outcomes.Cast<DeliveryOutcome?>().FirstOrDefault(o => string.Equals(o.ToString(), name, StringComparison.OrdinalIgnoreCase))
            : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
