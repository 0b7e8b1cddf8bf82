using Webhooks.AppHost.Stack;

namespace Webhooks.UnitTests.AppHost;

public sealed class StackOptionsTests
{
    [Fact]
    public void ReplicasDataDirAndFreshAreTakenAndEverythingElseIsLeftForAspire()
    {
        var (options, remaining) = StackOptions.Parse(["--replicas", "2", "--data-dir", "/tmp/w", "--fresh", "--Ports:receiver=6000"]);

        Assert.Equal(new StackOptions(2, "/tmp/w", true), options);
        Assert.Equal(["--Ports:receiver=6000"], remaining);
    }

    [Fact]
    public void TheEqualsFormWorksAsTestsPassIt()
    {
        var (options, remaining) = StackOptions.Parse(["--data-dir=/tmp/x", "--replicas=3", "--fresh=false"]);

        Assert.Equal(new StackOptions(3, "/tmp/x", false), options);
        Assert.Empty(remaining);
    }

    [Fact]
    public void WithoutArgumentsOneReplicaInTheDefaultDataDirectory()
    {
        var (options, _) = StackOptions.Parse([]);

        Assert.Equal(1, options!.Replicas);
        Assert.False(options.Fresh);
        Assert.EndsWith(Path.Combine("share", "webhooks"), options.DataDirectory);
    }

    [Fact]
    public void HelpAsksForTheUsage()
    {
        var (options, _) = StackOptions.Parse(["--help"]);

        Assert.Null(options);
        Assert.Contains("--replicas N", StackOptions.Usage);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("two")]
    public void InvalidReplicasAreRejectedWithTheAllowedRange(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => StackOptions.Parse(["--replicas", value]));

        Assert.Equal($"--replicas takes a number from 1 to 16, not '{value}'.", error.Message);
    }

    [Fact]
    public void AnOptionWithoutItsValueIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => StackOptions.Parse(["--data-dir", "--fresh"]));

        Assert.Equal("--data-dir needs a value.", error.Message);
    }
}
