using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Webhooks.Testing;

/// <summary>
/// The real AppHost (<c>AppHost/Program.cs</c>) started by Aspire.Hosting.Testing, as <c>dotnet run --project AppHost</c>
/// would start it, with random ports and its own data directory; and what tests do to it: endpoints, connection
/// strings, the admin token, Aspire's resource commands and the resources' processes.
/// </summary>
public sealed class AppHostStack : IAsyncDisposable
{
    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private readonly FileLoggerProvider _log;
    private bool _stopped;

    private AppHostStack(DistributedApplication app, string dataDirectory, FileLoggerProvider log)
    {
        App = app;
        DataDirectory = dataDirectory;
        _log = log;
        Processes = new ResourceProcesses(app);
    }

    public DistributedApplication App { get; }

    public string DataDirectory { get; }

    /// <summary>The file every resource's console and the AppHost's log are written to.</summary>
    public string LogPath => _log.Path;

    public ResourceProcesses Processes { get; }

    /// <summary>The admin token the AppHost generated into the data directory and bootstrapped the services with.</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin-token")).Trim();

    /// <summary>The receivers' HTTP endpoint (Aspire's proxy spreads requests over the replicas).</summary>
    public Uri Receiver => App.GetEndpoint("receiver", "http");

    public Uri Dashboard => App.GetEndpoint("dashboard", "http");

    public static async Task<AppHostStack> StartAsync(AppHostStackOptions options, CancellationToken cancellationToken = default)
    {
        var dataDirectory = options.DataDirectory ?? Path.Combine(TraversableTemporaryDirectory.Create("webhooks-stack-"), "data");
        var log = new FileLoggerProvider(options.LogPath ?? Path.Combine(Path.GetDirectoryName(dataDirectory)!, "stack.log"));
        string[] arguments =
        [
            $"--data-dir={dataDirectory}",
            $"--replicas={options.Replicas}",
            $"--fresh={options.Fresh}",
            .. options.Arguments,
        ];

        // The services run in the AppHost's build configuration: Release when the benchmark is built with -c Release.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Webhooks_AppHost>(arguments, cancellationToken).ConfigureAwait(false);
        builder.Services.AddLogging(logging => logging
            .ClearProviders()
            .AddProvider(log)
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Http", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning));

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            if (options.InfrastructureOnly)
            {
                builder.Resources.Remove(project);
                continue;
            }

            builder.CreateResourceBuilder(project).WithEnvironment(context =>
            {
                // Aspire.Hosting.Testing runs no dashboard but still points the services' OTLP exporter at one
                // (localhost:4317): they would build and send every span, log record and metric to nobody, or to
                // another stack's dashboard on this machine. They export only where a test says.
                context.EnvironmentVariables.Remove(OtlpEndpoint);
                foreach (var (name, value) in options.ProjectEnvironment)
                {
                    context.EnvironmentVariables[name] = value;
                }
            });
        }

        var app = await builder.BuildAsync(cancellationToken).ConfigureAwait(false);
        var stack = new AppHostStack(app, dataDirectory, log);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.HealthTimeout);
        try
        {
            await app.StartAsync(deadline.Token).ConfigureAwait(false);
            string[] resources = options.InfrastructureOnly ? ["postgres", "redis"] : ["postgres", "redis", "receiver", "dashboard"];
            foreach (var resource in resources)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or DistributedApplicationException)
        {
            await stack.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The stack did not become healthy within {options.HealthTimeout}: {e.Message} (stack log: {log.Path})", e);
        }

        return stack;
    }

    /// <summary>A resource's connection string: <c>postgres</c> (the webhooks database) or <c>redis</c>.</summary>
    public async Task<string> ConnectionStringAsync(string resource, CancellationToken cancellationToken = default) =>
        await App.GetConnectionStringAsync(resource, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"{resource} has no connection string");

    /// <summary>Runs one of Aspire's resource commands (<see cref="KnownResourceCommands"/>), as the dashboard's buttons do.</summary>
    public async Task CommandAsync(string resource, string command, CancellationToken cancellationToken = default)
    {
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resource, command, cancellationToken).ConfigureAwait(false);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} of {resource} failed: {result.Message}");
        }
    }

    /// <summary>Restarts a resource and waits until it is healthy again.</summary>
    public async Task RestartAsync(string resource, CancellationToken cancellationToken = default)
    {
        var before = Processes.Instances(resource).Select(Processes.ProcessId).OfType<int>().ToHashSet();
        await CommandAsync(resource, KnownResourceCommands.RestartCommand, cancellationToken).ConfigureAwait(false);

        // The restart command can return while Aspire still reports the stopped process (a terminal state, which would
        // end a wait for health at once): first wait until every instance runs a new process.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!Processes.Instances(resource).All(i => Processes.ProcessId(i) is { } pid && !before.Contains(pid)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{resource} did not run a new process within 2 minutes of its restart (stack log: {LogPath})");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the whole stack (every resource, then the AppHost), as Ctrl+C does.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await App.StopAsync(deadline.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await App.DisposeAsync().ConfigureAwait(false);
            Processes.Dispose();
            _log.Dispose();
        }
    }
}
