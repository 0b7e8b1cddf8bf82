namespace Webhooks.Dashboard.Components.Shared;

/// <summary>What a status means to the operator, which decides its colour.</summary>
public enum StatusTone
{
    Neutral,
    Informative,
    Success,
    Warning,
    Danger,
    Severe,
}
