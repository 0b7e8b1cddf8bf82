using System.Diagnostics;
using Webhooks.AppHost.Hosting.Logging;
using Webhooks.AppHost.Hosting.Processes;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Projects;

/// <summary>One process of a project: started, watched (restarted with back-off on a crash), stopped with SIGTERM then kill.</summary>
internal sealed class ProjectReplica
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly ProjectResource _project;
    private readonly int _index;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly StackContext _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<int> _everStarted = [];
    private ChildProcess? _current;
    private Task _supervisor = Task.CompletedTask;

    public ProjectReplica(ProjectResource project, int index, IReadOnlyDictionary<string, string?> environment, StackContext context)
    {
        _project = project;
        _index = index;
        _environment = environment;
        _context = context;
        Logger = new ResourceLogger(project.ReplicaName(index));
        Logger.AttachTo(context.Sink);
    }

    public string Name => Logger.Name;

    public ResourceLogger Logger { get; }

    public ResourceState State { get; private set; } = ResourceState.NotStarted;

    public IReadOnlyList<int> ProcessIds => _current is { HasExited: false } current ? [current.Id] : [];

    public IReadOnlyList<int> ProcessIdsEverStarted
    {
        get
        {
            lock (_everStarted)
            {
                return [.. _everStarted];
            }
        }
    }

    private Uri HealthUrl => new(_project.GetEndpoint(_index), _project.HealthPath);

    /// <summary>Starts the process and returns once <c>GET /health</c> answers 200.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        State = ResourceState.Starting;
        await LaunchAsync().ConfigureAwait(false);
        _supervisor = Task.Run(SuperviseAsync, CancellationToken.None);
        var timeout = _context.Options.HealthTimeout;
        if (!await WaitUntilHealthyAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new StartupException(FailureMessages.NeverHealthy(Name, $"GET {_project.HealthPath} → 200", timeout, Logger.RecentLines));
        }

        State = ResourceState.Running;
    }

    public async Task StopAsync(TimeSpan grace)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _supervisor.ConfigureAwait(false);
        if (_current is { } current)
        {
            State = ResourceState.Stopping;
            await current.StopAsync(Posix.SigTerm, grace).ConfigureAwait(false);
        }

        State = ResourceState.Stopped;
    }

    private async Task LaunchAsync()
    {
        var spec = new ProcessSpec("dotnet", [_project.AssemblyPath])
        {
            WorkingDirectory = _project.ProjectDirectory,
            Environment = _environment,
            // The AppHost died without stopping it: postgres and redis are gone too, so a graceful stop could hang.
            ParentDeathSignal = "KILL",
        };
        _current = await ChildProcess.StartAsync(spec, Logger).ConfigureAwait(false);
        lock (_everStarted)
        {
            _everStarted.Add(_current.Id);
        }
    }

    /// <summary>Restarts the process whenever it exits until the replica is stopped.</summary>
    private async Task SuperviseAsync()
    {
        var restarts = 0;
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            var current = _current!;
            var started = Stopwatch.StartNew();
            try
            {
                await current.Exited.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (started.Elapsed >= RestartBackoff.ResetAfter)
            {
                restarts = 0;
            }

            var delay = RestartBackoff.Delay(restarts++);
            State = ResourceState.Restarting;
            _context.Log.WriteLine($"{Name} (pid {current.Id}) exited with code {current.ExitCode}; restarting in {delay.TotalSeconds:0} s");
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
                await LaunchAsync().ConfigureAwait(false);
                _ = MarkRunningWhenHealthyAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task MarkRunningWhenHealthyAsync(CancellationToken stop)
    {
        try
        {
            if (await WaitUntilHealthyAsync(_context.Options.HealthTimeout, stop).ConfigureAwait(false))
            {
                State = ResourceState.Running;
                _context.Log.WriteLine($"{Name} is healthy again");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var response = await Http.GetAsync(HealthUrl, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The 3 s request timeout: the service is busy starting.
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}
