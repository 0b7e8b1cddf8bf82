using Microsoft.Extensions.Configuration;
using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Projects;

namespace Webhooks.UnitTests.AppHost;

public sealed class StackCommandLineTests
{
    [Fact]
    public void ReplicasDataDirAndFreshBecomeOptions()
    {
        var options = Read("--replicas", "3", "--data-dir", "/tmp/w", "--fresh");

        Assert.Equal(3, options.Replicas);
        Assert.Equal("/tmp/w", options.DataDirectory);
        Assert.True(options.Fresh);
    }

    [Fact]
    public void WithoutArgumentsOneReplicaInTheDefaultDataDirectory()
    {
        var options = Read();

        Assert.Equal(1, options.Replicas);
        Assert.False(options.Fresh);
        Assert.Equal(StackOptions.DefaultDataDirectory(), options.ResolvedDataDirectory);
        Assert.EndsWith(Path.Combine("", "webhooks"), options.ResolvedDataDirectory);
    }

    [Fact]
    public void EqualsFormAndOtherConfigurationKeysWork()
    {
        var options = Read("--replicas=2", "--HealthTimeoutSeconds=30", "--Ports:dashboard=5000");

        Assert.Equal(2, options.Replicas);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HealthTimeout);
        Assert.Equal(5000, options.Ports["dashboard"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("two")]
    [InlineData("-1")]
    public void InvalidReplicasAreRejectedWithTheAllowedRange(string value)
    {
        var failure = Assert.Throws<StartupException>(() => Read("--replicas", value));

        Assert.Equal(FailureMessages.InvalidReplicas(value), failure.Message);
    }

    [Fact]
    public void AnOptionWithoutItsValueIsRejected()
    {
        var failure = Assert.Throws<StartupException>(() => Read("--data-dir", "--fresh"));

        Assert.Equal(FailureMessages.MissingArgumentValue("--data-dir"), failure.Message);
    }

    [Fact]
    public void RestartBackoffDoublesFromOneSecondUpToThirty()
    {
        var delays = Enumerable.Range(0, 8).Select(i => RestartBackoff.Delay(i).TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    private static StackOptions Read(params string[] args)
    {
        var (settings, remaining) = StackCommandLine.Parse(args);
        var configuration = new ConfigurationBuilder().AddCommandLine(remaining).AddInMemoryCollection(settings).Build();
        return StackOptionsReader.Read(configuration);
    }
}
