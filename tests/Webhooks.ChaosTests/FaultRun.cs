using Npgsql;
using Webhooks.Benchmarks.Load;
using Webhooks.Benchmarks.Stack;
using Webhooks.EndToEndTests;

namespace Webhooks.ChaosTests;

/// <summary>
/// One fault under load: a project of its own whose warehouses notify a downstream server, steady retrying load through
/// Aspire's proxy (which spreads it over both replicas, as a load balancer would), the fault injected and healed while
/// the load goes on, then the stack's recovery and every guarantee checked. The fault is a function that injects it,
/// heals it and returns when it was healed.
/// </summary>
public sealed class FaultRun(ChaosStackFixture stack, string fault)
{
    private const string NotifySecret = "chaos-notify-secret-5e2a";
    private readonly ChaosSettings _settings = ChaosSettings.Current;

    /// <param name="killsAReplica">The fault kills a replica, which may repeat a notification it had sent but not yet recorded.</param>
    public async Task<FaultReport> RunAsync(Func<DownstreamServer, Task<DateTimeOffset>> injectAndHeal, bool killsAReplica = false)
    {
        var app = stack.Stack;
        var project = $"chaos-{fault}";
        await using var target = await DownstreamServer.StartAsync();
        using var api = new ManagementClient(app.Receiver, app.AdminToken);
        var tenant = await BenchmarkTenant.CreateAsync(api, project);
        var bodies = tenant.Bodies(_settings.Repositories);
        for (var repository = 0; repository < _settings.Repositories; repository++)
        {
            await api.PostAsync($"/api/projects/{project}/warehouses", new
            {
                name = WarehouseOf(repository),
                subscriptions = new[] { new { repoUrl = bodies.SubscriptionUrl(repository), branch = Benchmarks.Payloads.PushBodies.Branch(repository), discovery = "payload" } },
                notify = new { url = target.Url(NotifyPath(project, repository)), secret = NotifySecret },
            });
        }

        // Each connection owns every n-th repository, so pushes to one repository are sent (and resent) in order. Every
        // request goes to the proxy: a request it could not pass to a replica (killed, starting) fails or is answered
        // 5xx, and is resent like any other.
        var turns = new int[_settings.Connections];
        using var generator = new RetryingLoadGenerator(_settings.Connections, _settings.Retries, [app.Receiver]);
        using var stopLoad = new CancellationTokenSource();
        var load = generator.RunAsync(
            connection => bodies.Push(connection + _settings.Connections * (turns[connection]++ % (_settings.Repositories / _settings.Connections)), Benchmarks.Payloads.PushBodies.NewHead()),
            _settings.Interval,
            stopLoad.Token);

        // The waits below shape the load (how long it runs around the fault); nothing waits for state with a sleep.
        await Task.Delay(_settings.LoadBeforeFault);
        var healedAt = await injectAndHeal(target);
        var recovered = Task.Run(async () =>
        {
            await ClusterHealth.WaitUntilHealthyAsync(app, StackFixture.Replicas, _settings.RecoveryPatience);
            return DateTimeOffset.UtcNow;
        });
        await Task.Delay(_settings.LoadAfterHeal);
        await stopLoad.CancelAsync();
        var result = await load;

        var failures = new List<string>();
        double? recoverySeconds = null;
        try
        {
            recoverySeconds = ((await recovered) - healedAt).TotalSeconds;
        }
        catch (TimeoutException e)
        {
            failures.Add($"not healthy again: {e.Message}");
        }

        var connectionString = await app.ConnectionStringAsync("postgres");
        // The accounting's own pooled connections from before a PostgreSQL restart are dead: open new ones.
        NpgsqlConnection.ClearAllPools();
        var accounting = new FaultAccounting(connectionString);
        if (await accounting.DrainAsync(project, _settings.RecoveryPatience) is { } pending)
        {
            failures.Add(pending);
        }

        var drainedSeconds = (DateTimeOffset.UtcNow - healedAt).TotalSeconds;
        var (deliveryFailures, committedNotTold) = await accounting.CheckAsync(project, result, WarehouseOf);
        failures.AddRange(deliveryFailures);
        var (notificationFailures, freight, notifications, repeats) = await new NotificationAccounting(connectionString).CheckAsync(
            project, target, Enumerable.Range(0, _settings.Repositories).Select(r => NotifyPath(project, r)), _settings.RecoveryPatience, killsAReplica);
        failures.AddRange(notificationFailures);

        var report = new FaultReport(
            fault,
            result.Seconds,
            result.Deliveries.Count,
            result.Requests,
            result.Answers2xx,
            result.Answers5xx,
            result.ConnectionFailures,
            result.Retries,
            result.GaveUp,
            committedNotTold,
            freight,
            notifications,
            repeats,
            LongestGap(result),
            recoverySeconds,
            drainedSeconds,
            failures);
        stack.Results.Add(report);
        return report;
    }

    private static string WarehouseOf(int repository) => BenchmarkTenant.WarehouseName(repository, 0);

    private static string NotifyPath(string project, int repository) => $"/{project}/{WarehouseOf(repository)}";

    private static double LongestGap(RetryingLoadResult result)
    {
        var times = result.SuccessTimes.Order().ToList();
        return times.Count < 2 ? result.Seconds : times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).Max();
    }
}
