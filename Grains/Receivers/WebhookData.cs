namespace Webhooks.Grains.Receivers;

/// <summary>
/// Everything to paste into Bitbucket to wire a repository to a receiver, as the dashboard shows it.
/// <see cref="Warnings"/> says what would stop Bitbucket from delivering, such as a URL on a loopback or private address.
/// </summary>
public sealed record WebhookData(
    string Url,
    string? Secret,
    string ContentType,
    IReadOnlyList<string> Events,
    WebhookInstructions Instructions,
    IReadOnlyList<string> Warnings);

public sealed record WebhookInstructions(WebhookSetup Cloud, WebhookSetup DataCenter);

/// <summary>How to add the webhook in one Bitbucket product: the triggers to tick and the steps in its UI.</summary>
public sealed record WebhookSetup(string Product, IReadOnlyList<string> Triggers, IReadOnlyList<string> Events, IReadOnlyList<string> Steps);
