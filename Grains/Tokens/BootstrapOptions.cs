namespace Webhooks.Grains.Tokens;

/// <summary>The <c>Webhooks</c> settings that concern the first admin token.</summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>An admin token that must exist; the AppHost generates one and keeps it in its data directory.</summary>
    public string? BootstrapAdminToken { get; set; }
}
