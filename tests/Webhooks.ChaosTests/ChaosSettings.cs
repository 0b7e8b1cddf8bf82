using Webhooks.Benchmarks.Load;

namespace Webhooks.ChaosTests;

/// <summary>
/// How long the load runs and the faults last. Reduced by default (CI: the whole project in about five minutes); the
/// issue's full form with <c>CHAOS_FULL=1</c>: 20 s unreachable, a notification target down for a minute.
/// </summary>
public sealed record ChaosSettings(
    string Form,
    TimeSpan LoadBeforeFault,
    TimeSpan Outage,
    TimeSpan TargetOutage,
    TimeSpan LoadAfterHeal,
    int Connections,
    TimeSpan Interval,
    int Repositories,
    RetryPolicy Retries,
    TimeSpan RecoveryPatience)
{
    public static ChaosSettings Reduced { get; } = new(
        "reduced",
        LoadBeforeFault: TimeSpan.FromSeconds(4),
        Outage: TimeSpan.FromSeconds(4),
        TargetOutage: TimeSpan.FromSeconds(10),
        LoadAfterHeal: TimeSpan.FromSeconds(5),
        Connections: 4,
        Interval: TimeSpan.FromMilliseconds(50),
        Repositories: 8,
        // Bitbucket Cloud's 3 attempts a minute apart, scaled down; 10 s without an answer is a failed attempt, as there.
        Retries: new RetryPolicy(MaxAttempts: 5, FirstDelay: TimeSpan.FromSeconds(1), Multiplier: 2, Timeout: TimeSpan.FromSeconds(10)),
        RecoveryPatience: TimeSpan.FromMinutes(2));

    public static ChaosSettings Full { get; } = new(
        "full",
        LoadBeforeFault: TimeSpan.FromSeconds(15),
        Outage: TimeSpan.FromSeconds(20),
        TargetOutage: TimeSpan.FromMinutes(1),
        LoadAfterHeal: TimeSpan.FromSeconds(30),
        Connections: 8,
        Interval: TimeSpan.FromMilliseconds(50),
        Repositories: 16,
        Retries: new RetryPolicy(MaxAttempts: 5, FirstDelay: TimeSpan.FromSeconds(2), Multiplier: 2, Timeout: TimeSpan.FromSeconds(10)),
        RecoveryPatience: TimeSpan.FromMinutes(5));

    public static ChaosSettings Current { get; } = Environment.GetEnvironmentVariable("CHAOS_FULL") is "1" or "true" ? Full : Reduced;
}
