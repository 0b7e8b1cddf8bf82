namespace Webhooks.IntegrationTests.Management;

/// <summary>How a hostile management request authenticates.</summary>
public enum Credentials
{
    Admin,
    None,
    WebhookToken,
    UnknownToken,
}

/// <summary>
/// One hostile request to the management API and what must come of it: <paramref name="Status"/> (always 4xx) as
/// problem details, whose text mentions <paramref name="Mentions"/> (the field, the position, or what was wrong).
/// </summary>
/// <param name="Name">Says what is hostile about it.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">Path and query; <c>{p}</c>, <c>{r}</c> and <c>{w}</c> stand for the project, receiver and warehouse set up.</param>
/// <param name="Body">The raw body; null for none.</param>
/// <param name="Status">The answer's status.</param>
/// <param name="Mentions">Text the problem must contain (case-insensitive), such as the field's name; null for none.</param>
public sealed record ManagementHostileCase(string Name, HttpMethod Method, string Path, byte[]? Body, int Status, string? Mentions)
{
    public string? ContentType { get; init; } = "application/json";

    public Credentials Credentials { get; init; } = Credentials.Admin;

    /// <summary>An <c>Authorization</c> header sent as is, instead of the one <see cref="Credentials"/> implies.</summary>
    public string? Authorization { get; init; }

    public override string ToString() => Name;
}
