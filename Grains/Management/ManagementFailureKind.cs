namespace Webhooks.Grains.Management;

/// <summary>Why a management operation did nothing: the HTTP API answers 400, 404 or 409; the dashboard shows a message.</summary>
public enum ManagementFailureKind
{
    /// <summary>The input is not valid; <see cref="ManagementFailure.Errors"/> says what, keyed by field.</summary>
    Invalid,

    NotFound,

    Conflict,
}
