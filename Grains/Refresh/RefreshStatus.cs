namespace Webhooks.Grains.Refresh;

public enum RefreshStatus
{
    Running,
    Succeeded,

    /// <summary>Discovery failed for at least one subscription (the error says which); other subscriptions' Freight was kept.</summary>
    Failed,

    /// <summary>The silo running it stopped; its requests were picked up again.</summary>
    Interrupted,
}
