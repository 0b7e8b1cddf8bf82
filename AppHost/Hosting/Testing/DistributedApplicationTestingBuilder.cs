using Webhooks.AppHost.Hosting.Configuration;

namespace Webhooks.AppHost.Hosting.Testing;

/// <summary>
/// Starts the real stack from a test (Aspire's <c>DistributedApplicationTestingBuilder</c>): the same graph as the
/// AppHost (<c>Program.Declare</c>), configured only by <see cref="StackOptions"/>, nothing from the machine's environment.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    /// <summary>The declared graph, not built: tests may change resources (e.g. environment) before <c>Build()</c>.</summary>
    public static IDistributedApplicationBuilder Create(StackOptions options)
    {
        var builder = DistributedApplicationBuilder.FromOptions(options);
        Program.Declare(builder);
        return builder;
    }

    /// <summary>Builds and starts the stack; returns once every resource is healthy. Dispose it to stop everything.</summary>
    public static async Task<DistributedApplication> StartAsync(StackOptions options, CancellationToken cancellationToken = default)
    {
        var app = Create(options).Build();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }
}
