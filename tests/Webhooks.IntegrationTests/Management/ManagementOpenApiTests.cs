using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Management;

[Collection(StorageCollection.Name)]
public sealed class ManagementOpenApiTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ManagementHost _host = new(storage, "openapi");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OpenApiNamesAndSummarisesEveryManagementEndpointWithItsProblemAnswers()
    {
        using var client = _host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/projects", StringComparison.Ordinal) || path.Name.StartsWith("/api/deliveries", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Path: path.Name, Method: operation.Name, Operation: operation.Value)))
            .ToList();
        var expected = new[]
        {
            "CreateProject", "ListProjects", "GetProject", "DeleteProject",
            "CreateReceiver", "ListReceivers", "GetReceiver", "UpdateReceiver", "GetReceiverWebhookData", "RotateReceiverSecret", "SetReceiverAllowedNetworks", "DeleteReceiver",
            "CreateWarehouse", "ListWarehouses", "GetWarehouse", "UpdateWarehouse", "RotateWarehouseNotifySecret", "DeleteWarehouse", "ListFreight", "GetFreight",
            "ListRefreshes", "ListRefreshRequests", "RefreshWarehouse",
            "ListDeliveries", "GetDelivery", "RedeliverDelivery",
            "GetSmartCommits", "PutSmartCommits", "ListIssueCommits",
        };
        Assert.Equal(expected.Order(), operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Order());
        foreach (var (path, method, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out var unauthorized), $"{method} {path} does not declare 401");
            Assert.True(unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _));
            Assert.True(operation.TryGetProperty("security", out var security) && security.GetRawText().Contains("\"Bearer\"", StringComparison.Ordinal),
                $"{method} {path} does not require the bearer scheme");
        }
    }

    [Fact]
    public async Task OpenApiDeclaresTheBearerSchemeAndLeavesIngressOpen()
    {
        using var client = _host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var ingress = document.GetProperty("paths").GetProperty("/webhooks/bitbucket/{receiverPath}").GetProperty("post");
        Assert.False(ingress.TryGetProperty("security", out _));
    }
}
