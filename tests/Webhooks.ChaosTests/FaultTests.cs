using System.Diagnostics;
using Webhooks.AppHost.Hosting.Projects;
using Webhooks.EndToEndTests;
using Xunit.Abstractions;

namespace Webhooks.ChaosTests;

/// <summary>
/// The issue's faults, each under steady load that Bitbucket-style resends: after each, every delivery answered 2xx is in
/// history once, every warehouse's latest Freight is the last head committed, nothing is left pending, no head was
/// refreshed twice, each Freight was notified exactly once by its Idempotency-Key (a killed replica may repeat one it had
/// sent but not recorded, with the same key) and the cluster is healthy again.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class FaultTests(ChaosStackFixture stack, ITestOutputHelper output)
{
    private readonly ChaosSettings _settings = ChaosSettings.Current;

    [Fact]
    public async Task AReceiverReplicaKilledMidLoadIsRestartedAndNothingIsLost() =>
        await RunAsync("replica-killed", _ =>
        {
            // kill -9 of the last replica; the AppHost restarts it.
            var receiver = stack.App.GetResource<ProjectResource>("receiver");
            Process.GetProcessById(receiver.ProcessIds[^1]).Kill();
            return Task.FromResult(DateTimeOffset.UtcNow);
        }, killsAReplica: true);

    [Fact]
    public async Task PostgresRestartedMidLoadLosesNothing() =>
        await RunAsync("postgres-restarted", async _ =>
        {
            await stack.App.RestartResourceAsync("postgres");
            return DateTimeOffset.UtcNow;
        });

    [Fact]
    public async Task PostgresUnreachableMidLoadLosesNothing() =>
        await RunAsync("postgres-unreachable", async _ =>
        {
            // Frozen, not stopped: connections open and queries hang, as behind a dropped network.
            using (stack.App.Freeze("postgres"))
            {
                await Task.Delay(_settings.Outage);
            }

            return DateTimeOffset.UtcNow;
        });

    [Fact]
    public async Task RedisRestartedMidLoadLosesNothing() =>
        await RunAsync("redis-restarted", async _ =>
        {
            await stack.App.RestartResourceAsync("redis");
            return DateTimeOffset.UtcNow;
        });

    [Fact]
    public async Task RedisDownMidLoadLosesNothing() =>
        await RunAsync("redis-down", async _ =>
        {
            // The embedded Garnet runs inside the AppHost (no process to freeze): it is stopped for the outage.
            await stack.App.RestartResourceAsync("redis", _settings.Outage);
            return DateTimeOffset.UtcNow;
        });

    [Fact]
    public async Task ANotificationTargetDownForAWhileGetsEachFreightExactlyOnceWhenBack() =>
        await RunAsync("notify-target-down", async target =>
        {
            await target.StopAsync();
            await Task.Delay(_settings.TargetOutage);
            await target.StartAgainAsync();
            return DateTimeOffset.UtcNow;
        });

    private async Task RunAsync(string fault, Func<DownstreamServer, Task<DateTimeOffset>> injectAndHeal, bool killsAReplica = false)
    {
        var report = await new FaultRun(stack, fault).RunAsync(injectAndHeal, killsAReplica);
        output.WriteLine($"{fault}: {report}");
        output.WriteLine($"stack log: {stack.Log.Path}; figures: {stack.Results.Directory}");

        Assert.True(report.Answers2xx > 0, $"{fault}: no delivery was answered 2xx");
        Assert.True(report.Failures.Count == 0, $"{fault}: {string.Join("; ", report.Failures)} (stack log: {stack.Log.Path})");
    }
}
