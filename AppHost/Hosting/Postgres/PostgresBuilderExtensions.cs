using Microsoft.Extensions.Configuration;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Postgres;

public static class PostgresBuilderExtensions
{
    /// <summary>A PostgreSQL server from the machine's binaries (Aspire's <c>AddPostgres</c>).</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new PostgresServerResource(name));

    /// <summary>
    /// A database on the server, referenced as <c>ConnectionStrings__{name}</c>. <c>ConnectionStrings:{name}</c> in
    /// configuration replaces it (and the server, when none of its databases is local).
    /// </summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, server.Resource)
        {
            ExternalConnectionString = server.ApplicationBuilder.Configuration.GetConnectionString(name) is { Length: > 0 } configured ? configured : null,
        };
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database);
    }
}
