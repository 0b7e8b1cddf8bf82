namespace Webhooks.Grains.Management;

/// <summary>
/// Why a management operation (shared by the management API and the dashboard) did nothing, in words fit to show a
/// user; never holds a secret. <see cref="Errors"/> is keyed as the request's JSON paths (<c>subscriptions[0].repoUrl</c>).
/// </summary>
public sealed record ManagementFailure(
    ManagementFailureKind Kind,
    string Title,
    string? Detail,
    IReadOnlyDictionary<string, string[]> Errors)
{
    public static ManagementFailure Invalid(string title, Dictionary<string, string[]> errors) =>
        new(ManagementFailureKind.Invalid, title, null, errors);

    public static ManagementFailure NotFound(string title, string detail) =>
        new(ManagementFailureKind.NotFound, title, detail, new Dictionary<string, string[]>());

    public static ManagementFailure Conflict(string title, string detail) =>
        new(ManagementFailureKind.Conflict, title, detail, new Dictionary<string, string[]>());

    public static ManagementFailure ProjectNotFound(string project) =>
        NotFound("Project not found", $"There is no project named '{project}'.");

    public static ManagementFailure ReceiverNotFound(string project, string receiver) =>
        NotFound("Receiver not found", $"Project '{project}' has no receiver named '{receiver}'.");

    public static ManagementFailure WarehouseNotFound(string project, string warehouse) =>
        NotFound("Warehouse not found", $"Project '{project}' has no warehouse named '{warehouse}'.");

    public static ManagementFailure FreightNotFound(string project, string warehouse, Guid id) =>
        NotFound("Freight not found", $"Warehouse '{project}/{warehouse}' has no Freight with id '{id}'.");

    /// <summary>One line for a message bar: the detail, or for invalid input every error.</summary>
    public string Describe() => Kind == ManagementFailureKind.Invalid && Errors.Count > 0
        ? $"{Title} {string.Join(" ", Errors.SelectMany(error => error.Value))}"
        : Detail is null ? Title : $"{Title}: {Detail}";
}
