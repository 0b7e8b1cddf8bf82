using Microsoft.AspNetCore.Http.HttpResults;

namespace Webhooks.Receiver.Apis;

/// <summary>
/// The JSON Schema of the events we post downstream, served anonymously so a downstream team can fetch it from the
/// service that notifies them. The file is <c>docs/schemas/freight.created.json</c>, embedded at build time: one copy.
/// </summary>
internal static class NotificationSchemaApi
{
    private const string ResourceName = "Webhooks.Receiver.Schemas.freight.created.json";

    private static readonly Lazy<byte[]> FreightCreated = new(() =>
    {
        using var stream = typeof(NotificationSchemaApi).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static RouteGroupBuilder MapNotificationSchemaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/schemas")
            .WithTags("Notifications")
            .AllowAnonymous();

        api.MapGet("/freight.created.json", GetFreightCreatedSchema)
            .WithName("GetFreightCreatedSchema")
            .WithSummary("The JSON Schema of the freight.created notification body (docs/schemas/freight.created.json)");

        return api;
    }

    public static FileContentHttpResult GetFreightCreatedSchema() =>
        TypedResults.File(FreightCreated.Value, "application/schema+json");
}
