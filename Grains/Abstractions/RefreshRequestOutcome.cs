namespace Webhooks.Grains.Abstractions;

/// <summary>What became of a refresh request.</summary>
[GenerateSerializer, Alias("Webhooks.RefreshRequestOutcome")]
public enum RefreshRequestOutcome
{
    /// <summary>It started a refresh (the first request a refresh took).</summary>
    Refreshed,

    /// <summary>It arrived while a refresh ran (or waited) and was merged into one with others.</summary>
    Coalesced,

    /// <summary>Every head it announced was already discovered: nothing to do.</summary>
    Deduplicated,

    /// <summary>Its warehouse was deleted before it ran.</summary>
    Abandoned,

    /// <summary>
    /// Its push was received before the push of the ref's latest Freight (it reached the warehouse late, re-dispatched
    /// after a replica died): making its older head Freight would move the warehouse back.
    /// </summary>
    Superseded,
}
