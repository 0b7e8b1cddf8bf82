using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Secrets;
using Webhooks.AppHost.Hosting.Testing;

namespace Webhooks.UnitTests.AppHost;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AdminTokenTests : IDisposable
{
    private readonly TemporaryDirectory _data = new();

    [Fact]
    public void AGeneratedTokenIsWhkFollowedBy256BitsOfBase64Url()
    {
        var token = AdminToken.Generate();

        Assert.Matches("^whk_[A-Za-z0-9_-]{43}$", token);
        Assert.NotEqual(token, AdminToken.Generate());
    }

    [Fact]
    public void TheTokenIsKeptInTheDataDirectoryReadableByItsOwnerOnly()
    {
        var token = AdminToken.LoadOrCreate(_data.Path);

        var file = _data.Combine("admin-token");
        Assert.Equal(token, File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task ALaterRunReusesTheToken()
    {
        var first = DistributedApplicationTestingBuilder.Create(Options()).Build();
        await first.PrepareAsync();
        var second = DistributedApplicationTestingBuilder.Create(Options()).Build();
        await second.PrepareAsync();

        Assert.StartsWith("whk_", first.AdminToken);
        Assert.Equal(first.AdminToken, second.AdminToken);
    }

    [Fact]
    public async Task AFreshRunGeneratesANewToken()
    {
        var first = DistributedApplicationTestingBuilder.Create(Options()).Build();
        await first.PrepareAsync();
        var options = Options();
        options.Fresh = true;
        var fresh = DistributedApplicationTestingBuilder.Create(options).Build();
        await fresh.PrepareAsync();

        Assert.NotEqual(first.AdminToken, fresh.AdminToken);
    }

    public void Dispose() => _data.Dispose();

    private StackOptions Options() => new() { DataDirectory = _data.Path, LogSink = new CollectingLogSink() };
}
