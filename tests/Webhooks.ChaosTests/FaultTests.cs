using Aspire.Hosting.ApplicationModel;
using Webhooks.EndToEndTests;
using Webhooks.Testing;
using Xunit.Abstractions;

namespace Webhooks.ChaosTests;

/// <summary>
/// The issue's faults, injected through Aspire and the resources' processes, each under steady load that Bitbucket-style
/// resends: after each, every delivery answered 2xx is in history once, every warehouse's latest Freight is the last
/// head committed, nothing is left pending, no head was refreshed twice, each Freight was notified exactly once by its
/// Idempotency-Key (a killed replica may repeat one it had sent but not recorded, with the same key) and the cluster is
/// healthy again.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class FaultTests(ChaosStackFixture stack, ITestOutputHelper output)
{
    private static readonly TimeSpan EndedPatience = TimeSpan.FromMinutes(2);
    private readonly ChaosSettings _settings = ChaosSettings.Current;

    private AppHostStack Stack => stack.Stack;

    [Fact]
    public async Task AReceiverReplicaKilledMidLoadStaysDownUntilItsStartCommandAndNothingIsLost() =>
        await RunAsync("replica-killed", async _ =>
        {
            // kill -9 of the last replica's process tree. Aspire does not restart a crashed executable: it shows the
            // replica as ended, and the operator starts it again with its Start command, as from the dashboard.
            var victim = Stack.Processes.Instances("receiver")[^1];
            Stack.Processes.Kill(victim);
            await Eventually.UntilAsync(
                () => Task.FromResult(Stack.Processes.HasEnded(victim)),
                ended => ended,
                EndedPatience,
                $"{victim} reported as ended");
            await Stack.CommandAsync(victim, KnownResourceCommands.StartCommand);
            return DateTimeOffset.UtcNow;
        }, killsAReplica: true);

    [Fact]
    public async Task PostgresRestartedMidLoadLosesNothing() =>
        await RunAsync("postgres-restarted", async _ =>
        {
            await Stack.RestartAsync("postgres");
            return DateTimeOffset.UtcNow;
        });

    [Fact]
    public async Task PostgresUnreachableMidLoadLosesNothing() =>
        await RunAsync("postgres-unreachable", async _ =>
        {
            // Frozen (SIGSTOP of the postmaster and its backends), not stopped: connections stay open and queries hang,
            // as behind a dropped network. The delay is the outage's length, not a wait for state.
            using (Stack.Processes.Freeze("postgres"))
            {
                await Task.Delay(_settings.Outage);
            }

            return DateTimeOffset.UtcNow;
        });

    [Fact]
    public async Task RedisRestartedMidLoadLosesNothing() =>
        await RunAsync("redis-restarted", async _ =>
        {
            await Stack.RestartAsync("redis");
            return DateTimeOffset.UtcNow;
        });

    [Fact]
    public async Task RedisStoppedForAnOutageMidLoadLosesNothing() =>
        await RunAsync("redis-down", async _ =>
        {
            // Stopped and started again with Aspire's commands: connections are refused for the outage.
            await Stack.CommandAsync("redis", KnownResourceCommands.StopCommand);
            await Task.Delay(_settings.Outage);
            await Stack.CommandAsync("redis", KnownResourceCommands.StartCommand);
            await Stack.App.ResourceNotifications.WaitForResourceHealthyAsync("redis");
            return DateTimeOffset.UtcNow;
        });

    [Fact]
    public async Task RedisUnreachableMidLoadLosesNothingAndTheClusterIsWholeAgain() =>
        await RunAsync("redis-unreachable", async _ =>
        {
            // redis-server frozen with SIGSTOP: Orleans' membership and the services' Redis calls hang instead of
            // failing fast, as behind a dropped network.
            using (Stack.Processes.Freeze("redis"))
            {
                await Task.Delay(_settings.Outage);
            }

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
        output.WriteLine($"stack log: {stack.LogPath}; figures: {stack.Results.Directory}");

        Assert.True(report.Answers2xx > 0, $"{fault}: no delivery was answered 2xx");
        Assert.True(report.Failures.Count == 0, $"{fault}: {string.Join("; ", report.Failures)} (stack log: {stack.LogPath})");
    }
}
