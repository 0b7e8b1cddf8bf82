namespace Webhooks.Dashboard.Resources;

/// <summary>
/// A resource's health as the operator reads it: the three ASP.NET Core health statuses, plus Unreachable
/// when nothing answered at all (process down, port closed, timeout).
/// </summary>
public enum ResourceState
{
    Unknown,
    Healthy,
    Degraded,
    Unhealthy,
    Unreachable,
}
