namespace Webhooks.Receiver.Management.Contracts;

/// <summary>Everything to paste into Bitbucket to wire a repository to a receiver, as the dashboard shows it.</summary>
internal sealed record WebhookData(
    string Url,
    string? Secret,
    string ContentType,
    IReadOnlyList<string> Events,
    WebhookInstructions Instructions);

internal sealed record WebhookInstructions(WebhookSetup Cloud, WebhookSetup DataCenter);

/// <summary>How to add the webhook in one Bitbucket product: the triggers to tick and the steps in its UI.</summary>
internal sealed record WebhookSetup(string Product, IReadOnlyList<string> Triggers, IReadOnlyList<string> Events, IReadOnlyList<string> Steps);
