using Microsoft.Extensions.DependencyInjection;
using Webhooks.AppHost.Stack;

namespace Webhooks.AppHost.Postgres;

public static class PostgresBuilderExtensions
{
    /// <summary>
    /// The stack's database: the server given in <c>ConnectionStrings:{database}</c> when one is configured (production),
    /// else a PostgreSQL server of its own in <c>&lt;data-dir&gt;/postgres</c> on a loopback port, created on first run.
    /// </summary>
    internal static IResourceBuilder<IResourceWithConnectionString> AddStackDatabase(
        this IDistributedApplicationBuilder builder, string database, StackOptions stack)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(database)))
        {
            return builder.AddConnectionString(database);
        }

        var password = builder.AddParameter("postgres-password", () => DataDirectory.Secret(stack.DataDirectory, "postgres-password"), secret: true);
        var server = new PostgresServerResource("postgres", stack.DataDirectory, password.Resource, database);
        var healthCheck = $"{server.Name}-ready";
        builder.Services.AddHealthChecks().Add(new(healthCheck, _ => new PostgresHealthCheck(server), failureStatus: null, tags: null));

        return builder.AddResource(server)
            .WithArgs(context =>
            {
                context.Args.Add(Path.Combine(AppContext.BaseDirectory, "Postgres", "postgres.sh"));
                context.Args.Add(stack.DataDirectory);
                context.Args.Add(server.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add(database);
            })
            .WithEnvironment("POSTGRES_PASSWORD", password)
            .WithEnvironment(context =>
            {
                if (builder.Configuration["Postgres:BinDirectory"] is { Length: > 0 } bin)
                {
                    context.EnvironmentVariables["POSTGRES_BIN_DIR"] = bin;
                }
            })
            .WithDirectEndpoint(PostgresServerResource.EndpointName, "tcp")
            .WithHealthCheck(healthCheck)
            .WithIconName("Database")
            .WithParentRelationship(password);
    }
}
