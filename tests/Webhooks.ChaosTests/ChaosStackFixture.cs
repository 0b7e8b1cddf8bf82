using Webhooks.EndToEndTests;

namespace Webhooks.ChaosTests;

/// <summary>
/// The whole stack with two receiver replicas, as the end-to-end tests start it, with notification rounds a few seconds
/// apart instead of a minute (and enough of them to outlast the longest target outage), so a target that comes back is
/// served within the test's patience, and a 1-minute outbox lease instead of 15, so notifications a killed replica had
/// claimed are taken over within the test. The lease stays longer than the longest PostgreSQL outage (20 s): a holder
/// that cannot record a delivery while the database hangs must not lose its claim, or the notification is sent twice.
/// The figures of every fault run are kept in <see cref="Results"/>.
/// </summary>
public sealed class ChaosStackFixture() : StackFixture(options =>
{
    options.ProjectEnvironment["Webhooks__Notifications__BaseDelay"] = "00:00:00.200";
    options.ProjectEnvironment["Webhooks__Notifications__MaxDelay"] = "00:00:01";
    options.ProjectEnvironment["Webhooks__Outbox__PollInterval"] = "00:00:00.500";
    options.ProjectEnvironment["Webhooks__Outbox__RoundBackoff"] = "00:00:02";
    options.ProjectEnvironment["Webhooks__Outbox__MaxRounds"] = "12";
    options.ProjectEnvironment["Webhooks__Outbox__Lease"] = "00:01:00";
})
{
    public ChaosResults Results { get; } = new(ChaosSettings.Current);
}
