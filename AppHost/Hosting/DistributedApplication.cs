using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Logging;
using Webhooks.AppHost.Hosting.Processes;
using Webhooks.AppHost.Hosting.Projects;
using Webhooks.AppHost.Hosting.Resources;
using Webhooks.AppHost.Hosting.Secrets;

namespace Webhooks.AppHost.Hosting;

/// <summary>
/// The declared stack, running (Aspire's <c>DistributedApplication</c>): starts each resource once the ones it waits
/// for are healthy, in parallel where the graph allows; stops them in reverse order; never leaves a process behind.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly StackContext _context;
    private readonly ResourceGraph _graph;
    private readonly StartupException? _invalidArguments;
    private readonly bool _helpRequested;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly List<ProcessFreeze> _freezes = [];
    private bool _prepared;
    private bool _stopped;

    internal DistributedApplication(StackOptions options, IConfiguration configuration, IReadOnlyList<Resource> resources, StartupException? invalidArguments, bool helpRequested)
    {
        var sink = options.LogSink ?? ConsoleLogSink.ForConsole();
        if (sink is ConsoleLogSink console)
        {
            console.PrefixWidth = Math.Max(8, resources.Max(r => r is ProjectResource p ? p.ReplicaName(p.Replicas - 1).Length : r.Name.Length));
        }

        _context = new StackContext(options, configuration, sink);
        foreach (var resource in resources)
        {
            resource.Logger.AttachTo(sink);
        }

        _invalidArguments = invalidArguments;
        _helpRequested = helpRequested;
        _graph = new ResourceGraph(resources);
        Resources = resources;
    }

    public static IDistributedApplicationBuilder CreateBuilder(string[] args) => DistributedApplicationBuilder.FromArgs(args);

    public IReadOnlyList<Resource> Resources { get; }

    /// <summary>The order resources start in (each after what it waits for); they stop in reverse.</summary>
    public IReadOnlyList<Resource> StartOrder => _graph.StartOrder;

    public string DataDirectory => _context.DataDirectory;

    public StackOptions Options => _context.Options;

    /// <summary>The admin token the projects bootstrap with (known once prepared or started).</summary>
    public string AdminToken => Resources.OfType<AdminTokenResource>().First().Value;

    public Resource GetResource(string name) => _graph[name];

    public T GetResource<T>(string name) where T : Resource =>
        GetResource(name) as T ?? throw new InvalidCastException($"'{name}' is a {GetResource(name).GetType().Name}, not a {typeof(T).Name}.");

    /// <summary>The HTTP endpoint of a project replica.</summary>
    public Uri GetEndpoint(string resource, int replica = 0) => GetResource<ProjectResource>(resource).GetEndpoint(replica);

    /// <summary>What <c>ConnectionStrings__{name}</c> is for the projects.</summary>
    public string GetConnectionString(string name) =>
        GetResource(name) is IResourceWithConnectionString resource
            ? resource.ConnectionString
            : throw new InvalidOperationException($"'{name}' has no connection string.");

    /// <summary>The environment a project replica is (or would be) started with, on top of the AppHost's own.</summary>
    public IReadOnlyDictionary<string, string?> GetEnvironment(string project, int replica = 0) =>
        GetResource<ProjectResource>(project).BuildEnvironment(replica, new StackContextView(_context));

    /// <summary>Every process any resource started, restarts included: after stopping, none may be alive.</summary>
    public IReadOnlyList<int> ProcessIdsEverStarted => [.. Resources.SelectMany(r => r.ProcessIdsEverStarted)];

    /// <summary>Creates the data directory (wiping it with Fresh), loads or creates secrets, allocates ports. Starts nothing.</summary>
    internal async Task PrepareAsync()
    {
        if (_prepared)
        {
            return;
        }

        if (_invalidArguments is not null)
        {
            throw _invalidArguments;
        }

        await Hosting.DataDirectory.PrepareAsync(_context.DataDirectory, _context.Options.Fresh, _context).ConfigureAwait(false);
        foreach (var resource in _graph.StartOrder)
        {
            resource.Prepare(_context);
        }

        _prepared = true;
    }

    /// <summary>Starts everything and returns once every resource is healthy; on failure stops what started and throws.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PrepareAsync().ConfigureAwait(false);
            foreach (var project in Resources.OfType<ProjectResource>())
            {
                project.EnsureBuilt();
            }

            await StartResourcesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await StopCoreAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops every resource in reverse start order: projects (SIGTERM, then kill), postgres, redis. Idempotent.</summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// Stops one resource and starts it again on the same port once <paramref name="downtime"/> has passed, as a server
    /// restart in production: the services keep running and must reconnect by themselves. For fault tests.
    /// </summary>
    public async Task RestartResourceAsync(string name, TimeSpan downtime = default, CancellationToken cancellationToken = default)
    {
        var resource = GetResource(name);
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                throw new InvalidOperationException("The application is stopped.");
            }

            _context.Log.WriteLine($"restarting {name}{(downtime > TimeSpan.Zero ? $" after {downtime.TotalSeconds:0.#} s down" : "")}");
            await resource.StopAsync(_context).ConfigureAwait(false);
            if (downtime > TimeSpan.Zero)
            {
                await Task.Delay(downtime, cancellationToken).ConfigureAwait(false);
            }

            await resource.StartAsync(_context, cancellationToken).ConfigureAwait(false);
            _context.Log.WriteLine($"{name} is healthy again");
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Freezes a resource's processes (SIGSTOP, children included) until the result is disposed: its clients see a
    /// server behind a dropped network. Stopping the application thaws whatever is still frozen. For fault tests.
    /// </summary>
    public ProcessFreeze Freeze(string name)
    {
        var processes = GetResource(name).ProcessIds;
        if (processes.Count == 0)
        {
            throw new InvalidOperationException($"'{name}' runs no process of its own to freeze.");
        }

        var freeze = ProcessFreeze.Freeze(processes);
        lock (_freezes)
        {
            _freezes.Add(freeze);
        }

        _context.Log.WriteLine($"froze {name} ({freeze.ProcessIds.Count} processes)");
        return freeze;
    }

    /// <summary>The AppHost's main loop: start, show the banner, wait for Ctrl+C or SIGTERM, stop. Returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (_helpRequested)
        {
            Console.Out.WriteLine(StackCommandLine.Usage);
            return 0;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signals = 0;
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            if (Interlocked.Increment(ref signals) == 1)
            {
                _context.Log.WriteLine($"{signal.Signal}: stopping (again to kill everything now)");
                stop.Cancel();
            }
            else
            {
                _context.Log.WriteLine($"{signal.Signal} again: killing every process");
                ChildProcess.KillAll();
                Environment.Exit(130);
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            await StartAsync(stop.Token).ConfigureAwait(false);
            Console.Out.WriteLine(Banner.Render(this));
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"The AppHost failed: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            await StopAsync().ConfigureAwait(false);
            return 1;
        }

        await StopAsync().ConfigureAwait(false);
        _context.Log.WriteLine("stopped");
        return 0;
    }

    private async Task StartResourcesAsync(CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new Dictionary<Resource, Task>();
        foreach (var resource in _graph.StartOrder)
        {
            var dependencies = resource.Dependencies.Select(d => started[d]).ToArray();
            started[resource] = Task.Run(
                async () =>
                {
                    try
                    {
                        await Task.WhenAll(dependencies).ConfigureAwait(false);
                        failed.Token.ThrowIfCancellationRequested();
                        await resource.StartAsync(_context, failed.Token).ConfigureAwait(false);
                        if (resource is not AdminTokenResource)
                        {
                            _context.Log.WriteLine($"{resource.Name} is {(resource.State == ResourceState.External ? "external (from configuration) and reachable" : "healthy")}");
                        }
                    }
                    catch (Exception) when (resource.State is ResourceState.Starting)
                    {
                        resource.State = ResourceState.FailedToStart;
                        await failed.CancelAsync().ConfigureAwait(false);
                        throw;
                    }
                    catch
                    {
                        await failed.CancelAsync().ConfigureAwait(false);
                        throw;
                    }
                },
                CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(started.Values).ConfigureAwait(false);
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            // Report the cause, not the cancellations it caused in the other resources.
            var cause = _graph.StartOrder
                .Select(r => started[r].Exception?.InnerException)
                .FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (cause is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }
    }

    private async Task StopCoreAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _context.Stopping.CancelAsync().ConfigureAwait(false);
        lock (_freezes)
        {
            // A frozen process would ignore its stop signal until killed after the grace period.
            _freezes.ForEach(f => f.Dispose());
        }

        foreach (var resource in _graph.StopOrder)
        {
            try
            {
                await resource.StopAsync(_context).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _context.Log.WriteLine($"stopping {resource.Name} failed: {e.Message}");
            }
        }
    }
}
