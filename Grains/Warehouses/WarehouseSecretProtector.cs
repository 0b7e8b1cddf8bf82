using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Webhooks.Grains.Discovery;

namespace Webhooks.Grains.Warehouses;

/// <summary>
/// Encrypts a warehouse's secrets at rest (notify secret, git credentials) with ASP.NET Core Data Protection, under
/// their own purpose so a receiver secret can never be decrypted as one of these or the other way round.
/// </summary>
public sealed class WarehouseSecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _notifySecrets = provider.CreateProtector("Webhooks.Warehouses.NotifySecret.v1");
    private readonly IDataProtector _credentials = provider.CreateProtector("Webhooks.Warehouses.GitCredentials.v1");

    public string? ProtectNotifySecret(string? secret) => string.IsNullOrEmpty(secret) ? null : _notifySecrets.Protect(secret);

    public string? UnprotectNotifySecret(string? protectedSecret) =>
        string.IsNullOrEmpty(protectedSecret) ? null : _notifySecrets.Unprotect(protectedSecret);

    public string? ProtectCredentials(GitCredentials? credentials) =>
        credentials is null ? null : _credentials.Protect(JsonSerializer.Serialize(credentials));

    public GitCredentials? UnprotectCredentials(string? protectedCredentials) =>
        string.IsNullOrEmpty(protectedCredentials)
            ? null
            : JsonSerializer.Deserialize<GitCredentials>(_credentials.Unprotect(protectedCredentials));
}
