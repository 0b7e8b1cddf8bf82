namespace Webhooks.EndToEndTests;

/// <summary>
/// The whole stack for the refresh engine's tests, with downstream notifications retried within a second instead of the
/// production back-off (1 s doubling, 5 s outbox poll), so a test that makes a target fail waits for nothing. The
/// receivers are separate processes: the settings reach them as environment variables.
/// </summary>
public sealed class RefreshStackFixture() : StackFixture(options =>
{
    options.ProjectEnvironment["Webhooks__Notifications__BaseDelay"] = "00:00:00.200";
    options.ProjectEnvironment["Webhooks__Notifications__MaxDelay"] = "00:00:01";
    options.ProjectEnvironment["Webhooks__Outbox__PollInterval"] = "00:00:00.500";
});
