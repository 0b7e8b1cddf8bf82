using System.Diagnostics;
using Webhooks.AppHost.Hosting.Processes;

namespace Webhooks.UnitTests.AppHost;

public sealed class ProcessFreezeTests
{
    [Fact]
    public async Task FreezingStopsAProcessAndItsChildrenUntilDisposed()
    {
        // A shell whose child does the work, as a postmaster's backends serve its connections.
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 60 & wait"]))!;
        try
        {
            var child = await UntilAsync(() => ProcessFreeze.Descendants(shell.Id) is [var c, ..] ? c : (int?)null, "the shell's child");

            using (var freeze = ProcessFreeze.Freeze([shell.Id]))
            {
                Assert.Equal([shell.Id, child], freeze.ProcessIds);
                await UntilAsync(() => State(shell.Id) == 'T' && State(child) == 'T' ? true : (bool?)null, "both stopped");
            }

            await UntilAsync(() => State(shell.Id) != 'T' && State(child) != 'T' ? true : (bool?)null, "both running again");
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
        }
    }

    private static char State(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    private static async Task<T> UntilAsync<T>(Func<T?> read, string what) where T : struct
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (read() is { } value)
            {
                return value;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{what} did not happen within 10 s");
    }
}
