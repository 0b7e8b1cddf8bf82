using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Discovery;

namespace Webhooks.UnitTests.Discovery;

public sealed class RefDiscoveryRegistrationTests
{
    private static async Task<IHost> StartHostAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRefDiscovery();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task TheRegisteredListerListsARepository()
    {
        using var repository = await GitTestRepository.CreateAsync();
        using var host = await StartHostAsync(new() { ["Webhooks:Discovery:Timeout"] = "00:00:20" });

        var lister = host.Services.GetRequiredService<IRefLister>();
        var refs = await lister.ListAsync(repository.FileUrl, null, CancellationToken.None);

        Assert.IsType<GitRefLister>(lister);
        Assert.Contains(new RemoteRef("refs/heads/main", repository.MainHead), refs);
    }

    [Fact]
    public async Task AZeroTimeoutStopsTheHostFromStarting()
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartHostAsync(new() { ["Webhooks:Discovery:Timeout"] = "00:00:00" }));

        Assert.Contains("Timeout", exception.Message);
    }

    [Fact]
    public async Task AMissingGitExecutableIsAListingFailure()
    {
        var lister = new GitRefLister(Options.Create(new RefDiscoveryOptions { GitExecutable = "/nonexistent/bin/git" }), NullLogger<GitRefLister>.Instance);

        var exception = await Assert.ThrowsAsync<RefListingException>(() =>
            lister.ListAsync("https://example.com/repo.git", null, CancellationToken.None));

        Assert.Contains("git could not be started", exception.Message);
    }
}
