using System.Collections.Concurrent;
using System.Diagnostics;
using Webhooks.AppHost.Hosting.Logging;

namespace Webhooks.AppHost.Hosting.Processes;

/// <summary>A process the AppHost started: its output goes to a resource's log; it is stopped gracefully, then killed.</summary>
internal sealed class ChildProcess
{
    private static readonly ConcurrentDictionary<int, ChildProcess> Live = new();
    private readonly Process _process;

    static ChildProcess()
    {
        // Last resort when the AppHost ends without stopping its resources (an unhandled exception, Environment.Exit).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private ChildProcess(Process process)
    {
        _process = process;
        Id = process.Id;
        Exited = process.WaitForExitAsync();
        Live[Id] = this;
        _ = Exited.ContinueWith(_ => Live.TryRemove(Id, out ChildProcess? _), TaskScheduler.Default);
    }

    public int Id { get; }

    /// <summary>Completes when the process has exited and its output is drained.</summary>
    public Task Exited { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static async Task<ChildProcess> StartAsync(ProcessSpec spec, ResourceLogger logger) =>
        new(await ProcessLauncher.StartAsync(spec, logger.WriteLine).ConfigureAwait(false));

    /// <summary>Runs a command to completion; returns its exit code.</summary>
    public static async Task<int> RunAsync(ProcessSpec spec, ResourceLogger logger, CancellationToken cancellationToken)
    {
        var child = await StartAsync(spec, logger).ConfigureAwait(false);
        try
        {
            await child.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
            return child.ExitCode;
        }
        catch (OperationCanceledException)
        {
            child.Kill();
            throw;
        }
    }

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then kills the whole tree.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (HasExited)
        {
            await Exited.ConfigureAwait(false);
            return;
        }

        Posix.Signal(Id, signal);
        if (await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(false) != Exited)
        {
            Kill();
        }

        await Exited.ConfigureAwait(false);
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    internal static void KillAll()
    {
        foreach (var child in Live.Values)
        {
            child.Kill();
        }
    }
}
