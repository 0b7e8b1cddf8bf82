using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using StackExchange.Redis;
using IServer = Microsoft.AspNetCore.Hosting.Server.IServer;
using Webhooks.Grains.Persistence;

namespace Webhooks.Dashboard.Resources;

/// <summary>
/// The resources of the stack, read from the configuration the AppHost injects in Aspire's shape:
/// <c>services:receiver:http:0</c>, <c>…:1</c> (one per replica), <c>ConnectionStrings:webhooks</c>,
/// <c>ConnectionStrings:redis</c>. Connection strings are reduced to host and port: no password is ever shown.
/// </summary>
public sealed class ResourceCatalog(IConfiguration configuration, IServer server, IHostEnvironment environment)
{
    public const string ReceiverService = "receiver";
    public const string RedisConnectionName = "redis";

    public IReadOnlyList<ResourceDefinition> Resources() =>
    [
        .. ReceiverReplicas(),
        Dashboard(),
        Postgres(),
        Redis(),
    ];

    public IReadOnlyList<ResourceDefinition> ReceiverReplicas()
    {
        // services:receiver:<scheme>:<index> — group the schemes by index so one replica is one row.
        var byIndex = new SortedDictionary<int, List<ResourceEndpoint>>();
        foreach (var scheme in configuration.GetSection($"services:{ReceiverService}").GetChildren())
        {
            foreach (var entry in scheme.GetChildren())
            {
                if (string.IsNullOrWhiteSpace(entry.Value)
                    || !int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    continue;
                }

                if (!byIndex.TryGetValue(index, out var endpoints))
                {
                    byIndex[index] = endpoints = [];
                }

                endpoints.Add(new ResourceEndpoint(entry.Value.TrimEnd('/')));
            }
        }

        return [.. byIndex.Select(replica => new ResourceDefinition(
            Name: $"{ReceiverService}-{replica.Key}",
            Service: ReceiverService,
            Kind: ResourceKind.Project,
            // http before https: the probe uses the first one, and loopback http needs no certificate.
            Endpoints: [.. replica.Value.OrderBy(e => e.Address.StartsWith("https:", StringComparison.OrdinalIgnoreCase))],
            HealthSource: HealthSource.HttpProbe,
            Details: "Webhook ingress, management API, Orleans silo"))];
    }

    private ResourceDefinition Dashboard()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return new ResourceDefinition(
            Name: "dashboard",
            Service: "dashboard",
            Kind: ResourceKind.Project,
            Endpoints: [.. addresses.Select(a => new ResourceEndpoint(a.TrimEnd('/')))],
            HealthSource: HealthSource.Self,
            Details: $"This dashboard ({environment.EnvironmentName})");
    }

    private ResourceDefinition Postgres()
    {
        var connectionString = configuration.GetConnectionString(WebhooksDbContext.ConnectionName);
        ResourceEndpoint[] endpoints = [];
        string? details = null;
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            var port = parsed.Port;
            endpoints = [.. (parsed.Host ?? "localhost").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(host => new ResourceEndpoint(host.Contains(':', StringComparison.Ordinal) ? host : $"{host}:{port}"))];
            details = parsed.Database is { Length: > 0 } database ? $"Database {database}" : null;
        }
        catch (ArgumentException)
        {
            details = $"ConnectionStrings:{WebhooksDbContext.ConnectionName} cannot be read";
        }

        return new ResourceDefinition("postgres", "postgres", ResourceKind.PostgreSql, endpoints,
            HealthSource.HealthCheck, WebhooksDbContext.ConnectionName, details);
    }

    private ResourceDefinition Redis()
    {
        var connectionString = configuration.GetConnectionString(RedisConnectionName);
        ResourceEndpoint[] endpoints = [];
        string? details = "Cache, delivery dedupe, Orleans membership";
        try
        {
            var options = ConfigurationOptions.Parse(connectionString ?? string.Empty);
            endpoints = [.. options.EndPoints.Select(endpoint => new ResourceEndpoint(endpoint switch
            {
                DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
                _ => endpoint.ToString() ?? string.Empty,
            }))];
        }
        catch (ArgumentException)
        {
            details = $"ConnectionStrings:{RedisConnectionName} cannot be read";
        }

        return new ResourceDefinition("redis", "redis", ResourceKind.Redis, endpoints,
            HealthSource.HealthCheck, RedisConnectionName, details);
    }
}
