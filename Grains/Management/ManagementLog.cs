using Microsoft.Extensions.Logging;

namespace Webhooks.Grains.Management;

/// <summary>What the management API logs: names only, never a secret or a receiver path (the path is a credential too).</summary>
internal static partial class ManagementLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created project {Project}")]
    public static partial void ProjectCreated(ILogger logger, string project);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted project {Project} with {ReceiverCount} receivers")]
    public static partial void ProjectDeleted(ILogger logger, string project, int receiverCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created receiver {Project}/{Receiver} (secret generated: {Generated})")]
    public static partial void ReceiverCreated(ILogger logger, string project, string receiver, bool generated);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated the secret of receiver {Project}/{Receiver}; the previous one verifies until {ValidUntil}")]
    public static partial void SecretRotated(ILogger logger, string project, string receiver, DateTimeOffset validUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Receiver {Project}/{Receiver} now takes deliveries from {Count} network(s) (0: any address)")]
    public static partial void AllowedNetworksSet(ILogger logger, string project, string receiver, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Edited receiver {Project}/{Receiver} (URL and secret kept)")]
    public static partial void ReceiverUpdated(ILogger logger, string project, string receiver);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted receiver {Project}/{Receiver}")]
    public static partial void ReceiverDeleted(ILogger logger, string project, string receiver);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not invalidate the cached receiver of project {Project}; replicas may use the old entry until it expires")]
    public static partial void InvalidationFailed(ILogger logger, Exception exception, string project);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Type} token {Name} ({Prefix}…) for project {Project}")]
    public static partial void TokenCreated(ILogger logger, string name, string type, string prefix, string? project);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked token {Name} ({Prefix}…)")]
    public static partial void TokenRevoked(ILogger logger, string name, string prefix);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not invalidate a cached token; replicas may accept it until the entry expires (10 s)")]
    public static partial void TokenInvalidationFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created warehouse {Project}/{Warehouse} with {Subscriptions} subscription(s)")]
    public static partial void WarehouseCreated(ILogger logger, string project, string warehouse, int subscriptions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated warehouse {Project}/{Warehouse}")]
    public static partial void WarehouseUpdated(ILogger logger, string project, string warehouse);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated the notify secret of warehouse {Project}/{Warehouse}; the previous one signs until {ValidUntil}")]
    public static partial void NotifySecretRotated(ILogger logger, string project, string warehouse, DateTimeOffset validUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted warehouse {Project}/{Warehouse}")]
    public static partial void WarehouseDeleted(ILogger logger, string project, string warehouse);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the grains that warehouse {Project}/{Warehouse} changed; they reload within a minute")]
    public static partial void WarehouseInvalidationFailed(ILogger logger, Exception exception, string project, string warehouse);
}
