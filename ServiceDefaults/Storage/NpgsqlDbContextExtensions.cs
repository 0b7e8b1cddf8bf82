using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers an EF Core <see cref="DbContext"/> on PostgreSQL by connection-string name, the way Aspire's
/// <c>AddNpgsqlDbContext</c> does: one shared <see cref="NpgsqlDataSource"/>, pooled contexts, a health check
/// and Npgsql's tracing and metrics.
/// </summary>
public static class NpgsqlDbContextExtensions
{
    public static IHostApplicationBuilder AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlDataSourceBuilder>? configureDataSource = null,
        Action<DbContextOptionsBuilder>? configureDbContext = null)
        where TContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The PostgreSQL connection string 'ConnectionStrings:{connectionName}' is missing. " +
                $"Start the stack with 'dotnet run --project AppHost', or set ConnectionStrings__{connectionName}.");
        }

        builder.Services.AddSingleton(_ =>
        {
            var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
            if (dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                // The same few statements run thousands of times a second (the history INSERT, the grains' queries):
                // prepared once per connection, PostgreSQL stops parsing and planning each of them again.
                dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            }

            configureDataSource?.Invoke(dataSourceBuilder);
            return dataSourceBuilder.Build();
        });

        // One pool behind both ways of getting a context: the factory (grains, background work) and scoped injection
        // (request handlers). A factory registered beside AddDbContextPool would build a new, unpooled context and its
        // internal service scope on every call, which the hot paths make thousands of times a second.
        builder.Services.AddPooledDbContextFactory<TContext>((services, options) =>
        {
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql
                .EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(2), errorCodesToAdd: null)
                // `ids.Contains(x.Id)` as one array parameter (`= ANY(@ids)`): one SQL text, compiled and prepared once,
                // whatever the list's length, instead of one per length bucket of `IN (@p1, @p2, …)`.
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
            configureDbContext?.Invoke(options);
        });
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());

        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(name: connectionName, tags: ["ready", "postgres"]);

        if (Telemetry.IsExported(builder.Configuration))
        {
            builder.Services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddNpgsql())
                .WithMetrics(metrics => metrics.AddNpgsqlInstrumentation());
        }

        return builder;
    }
}
