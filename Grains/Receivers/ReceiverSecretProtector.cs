using Microsoft.AspNetCore.DataProtection;

namespace Webhooks.Grains.Receivers;

/// <summary>
/// Encrypts receiver secrets at rest with ASP.NET Core Data Protection (keys kept in PostgreSQL and shared by every
/// replica and the dashboard). HMAC verification needs the plain secret, so a hash would not do.
/// </summary>
public sealed class ReceiverSecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Webhooks.Receivers.Secret.v1");

    public string? Protect(string? secret) => string.IsNullOrEmpty(secret) ? null : _protector.Protect(secret);

    public string? Unprotect(string? protectedSecret) =>
        string.IsNullOrEmpty(protectedSecret) ? null : _protector.Unprotect(protectedSecret);
}
