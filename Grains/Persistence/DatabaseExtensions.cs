using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Webhooks.Grains.Persistence;

public static class DatabaseExtensions
{
    /// <summary>
    /// PostgreSQL through Aspire's client integration (<c>ConnectionStrings:webhooks</c>): the pooled
    /// <see cref="WebhooksDbContext"/> with its health check and, when telemetry is exported, Npgsql's traces and metrics.
    /// Beside it, the same pool behind <see cref="IDbContextFactory{TContext}"/> (grains and background work create
    /// their own contexts) and an <see cref="NpgsqlDataSource"/> for the hot paths written in raw Npgsql.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooksDatabase(this IHostApplicationBuilder builder)
    {
        var exported = Telemetry.IsExported(builder.Configuration);
        var connectionString = builder.Configuration.GetConnectionString(WebhooksDbContext.ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The PostgreSQL connection string 'ConnectionStrings:{WebhooksDbContext.ConnectionName}' is missing. " +
                $"Start the stack with 'dotnet run --project AppHost', or set ConnectionStrings__{WebhooksDbContext.ConnectionName}.");
        }

        connectionString = Tuned(connectionString);
        builder.AddNpgsqlDbContext<WebhooksDbContext>(
            WebhooksDbContext.ConnectionName,
            settings =>
            {
                settings.ConnectionString = connectionString;
                // Our own retry policy below: a short one, so a request never waits out Bitbucket's 10 s.
                settings.DisableRetry = true;
                // Activities and measurements nobody reads cost CPU on every command (docs/benchmarks.md).
                settings.DisableTracing = !exported;
                settings.DisableMetrics = !exported;
            },
            options => options.UseNpgsql(npgsql => npgsql
                .EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(2), errorCodesToAdd: null)
                // `ids.Contains(x.Id)` as one array parameter (`= ANY(@ids)`): one SQL text, compiled and prepared once,
                // whatever the list's length, instead of one per length bucket of `IN (@p1, @p2, …)`.
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)));

        // The factory shares the context pool AddNpgsqlDbContext registered (EF Core adds the pool once): without it,
        // each call would build an unpooled context and its internal service scope, thousands of times a second.
        builder.Services.AddPooledDbContextFactory<WebhooksDbContext>(_ => { });

        // One connection pool per process: EF Core's contexts run on the same data source as the raw-Npgsql paths (with
        // only a connection string, EF Core would open its own pool beside it, doubling the connections a replica holds).
        builder.Services.AddNpgsqlDataSource(connectionString);
        builder.Services.AddNpgsqlDataSource(WritersConnectionString(connectionString), serviceKey: Writers);
        builder.Services.AddNpgsqlDataSource(HistoryConnectionString(connectionString), serviceKey: History);
        builder.Services.ConfigureDbContext<WebhooksDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        return builder;
    }

    /// <summary>
    /// The connection string with what the hot paths need, unless it says otherwise. Prepared statements: the same few
    /// statements run thousands of times a second (the history INSERT, the grains' queries), so each is prepared once
    /// per connection and PostgreSQL stops parsing and planning it again. No JIT: PostgreSQL compiles a query with LLVM
    /// when its estimated cost passes <c>jit_above_cost</c>, which the statements batching hundreds of rows through
    /// arrays do; under load LLVM took a fifth of PostgreSQL's CPU (perf, docs/benchmarks.md) for statements that touch
    /// a few rows each. A bounded pool: Npgsql's default of 100 let a burst (a thousand grains activating at once) open
    /// a hundred backends on a machine of a few cores, and five minutes later its idle-connection pruning closed them
    /// all at once, so the next burst opened them again, each a new backend with cold caches and no prepared statement:
    /// under the soak's steady load that reconnection storm held every answer for seconds (docs/benchmarks.md). Kept,
    /// too: the minimum is the maximum, so pruning never closes a warm connection. A value in the connection string
    /// wins.
    /// </summary>
    internal const int MaxPoolSize = 32 - WriterPoolSize - HistoryWriters;

    /// <summary>
    /// The service key of the group-commit writers' own <see cref="NpgsqlDataSource"/>: the dispatch's
    /// (<see cref="Refresh.DispatchWriter"/>) and the payload passes' (<see cref="Refresh.RefreshPassBatcher"/>); the
    /// history's (<c>DeliveryRecorder</c>) are alike on a pool of their own (<see cref="History"/>). They write every
    /// delivery, a few hundred statements a second between them. On the shared pool each took whichever idle connection
    /// had waited longest (Npgsql hands idle connections out in turn), so at half load every one of its backends woke for a few statements a second with cold caches: 32
    /// backends at 2.6 % of a core each, PostgreSQL's cost per delivery twice the closed loop's (docs/benchmarks.md).
    /// On a pool of their own, as large as the writers that run at once, the same few backends stay warm.
    /// </summary>
    public const string Writers = "webhooks-writers";

    /// <summary>
    /// The service key of the history writers' <see cref="NpgsqlDataSource"/> (<c>DeliveryRecorder</c>): like
    /// <see cref="Writers"/>, and with generic plans only. Their one statement (<see cref="Deliveries.DeliveryInsert"/>)
    /// takes its rows as arrays, which a custom plan sees and a generic one estimates at a hundred, so PostgreSQL found
    /// every custom plan cheaper and planned the statement again on every execution, prepared or not: a tenth of a
    /// millisecond per batch, a sixth of the statement's time in the open loop (pg_stat_statements, docs/benchmarks.md
    /// step 12). Its plan does not depend on the batch's size (the inserts go by the unique keys, the body-replay check by
    /// its index). The dispatch's and the passes' statements keep custom plans: theirs join by what the arrays hold.
    /// </summary>
    public const string History = "webhooks-history";

    /// <summary>
    /// The history's batches written at once (<c>DeliveryRecorder</c>): one of the history writers' connections each.
    /// One writer made every request wait for the batch before its own (a commit is a WAL flush); a few let the next
    /// batch be inserted while the previous one's flush runs, and PostgreSQL flushes concurrent commits together. Few, so
    /// that the batches stay large under load.
    /// </summary>
    public const int HistoryWriters = 4;

    /// <summary>The writers' connections: the dispatch's one, the passes' one (the history's are <see cref="History"/>'s).</summary>
    internal const int WriterPoolSize = 1 + 1;

    internal static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Sets(params string[] keywords) => keywords.Any(given.ContainsKey);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!Sets("Maximum Pool Size", "MaxPoolSize"))
        {
            builder.MaxPoolSize = MaxPoolSize;
        }

        if (!Sets("Minimum Pool Size", "MinPoolSize"))
        {
            builder.MinPoolSize = Math.Min(MaxPoolSize, builder.MaxPoolSize);
        }

        SetUnlessGiven(builder, "jit", "off");
        return builder.ConnectionString;
    }

    /// <summary>
    /// The tuned connection string sized for the group-commit writers (<see cref="Writers"/>), and not reset when given
    /// back to the pool: Npgsql otherwise resets a connection by seven statements sent with its next command (about 270
    /// resets a second at half load, one for nearly every batch the writers send). The writers set nothing in their
    /// sessions, and the one thing they hold — a refresh pass's advisory locks — they give back themselves
    /// (<c>PassStatements.UnlockAsync</c> clears the pool when it cannot).
    /// </summary>
    internal static string WritersConnectionString(string tunedConnectionString) =>
        new NpgsqlConnectionStringBuilder(tunedConnectionString)
        {
            MaxPoolSize = WriterPoolSize,
            MinPoolSize = WriterPoolSize,
            NoResetOnClose = true,
        }.ConnectionString;

    /// <summary>The history writers' connection string (<see cref="History"/>): as the writers', generic plans only.</summary>
    internal static string HistoryConnectionString(string tunedConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(WritersConnectionString(tunedConnectionString))
        {
            MaxPoolSize = HistoryWriters,
            MinPoolSize = HistoryWriters,
        };
        SetUnlessGiven(builder, "plan_cache_mode", "force_generic_plan");
        return builder.ConnectionString;
    }

    /// <summary>Adds the server setting <paramref name="name"/> to the connection's options unless they name it already.</summary>
    private static void SetUnlessGiven(NpgsqlConnectionStringBuilder builder, string name, string value)
    {
        if (builder.Options?.Contains(name, StringComparison.Ordinal) != true)
        {
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? $"-c {name}={value}" : $"{builder.Options} -c {name}={value}";
        }
    }
}
