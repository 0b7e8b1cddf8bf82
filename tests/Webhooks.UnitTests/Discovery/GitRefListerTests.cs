using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Discovery;
using Webhooks.UnitTests.Notifications;

namespace Webhooks.UnitTests.Discovery;

public sealed class GitRefListerTests : IAsyncLifetime
{
    private const string Password = "tok-3xQ9-secret";
    private GitTestRepository _repository = null!;

    public async Task InitializeAsync() => _repository = await GitTestRepository.CreateAsync();

    public Task DisposeAsync()
    {
        _repository.Dispose();
        return Task.CompletedTask;
    }

    private static GitRefLister Lister(TimeSpan? timeout = null) =>
        new(Options.Create(new RefDiscoveryOptions { Timeout = timeout ?? TimeSpan.FromSeconds(30) }), NullLogger<GitRefLister>.Instance);

    private void AssertListsTheTestRepository(IReadOnlyList<RemoteRef> refs) =>
        Assert.Equal(
            [
                // --symref: HEAD with the branch it points at, so git mode follows the real default branch.
                new RemoteRef("HEAD", _repository.MainHead, "refs/heads/main"),
                new RemoteRef("refs/heads/feature/x", _repository.FeatureHead),
                new RemoteRef("refs/heads/main", _repository.MainHead),
                new RemoteRef("refs/tags/light", _repository.FeatureHead),
                new RemoteRef("refs/tags/v1.0", _repository.MainFirstCommit),
            ],
            refs);

    [Fact]
    public async Task ListsBranchesAndTagsByFileUrlWithAnnotatedTagsPeeledToTheirCommit()
    {
        var refs = await Lister().ListAsync(_repository.FileUrl, null, CancellationToken.None);

        AssertListsTheTestRepository(refs);
        Assert.DoesNotContain(refs, reference => reference.Commit == _repository.AnnotatedTagObject);
    }

    [Fact]
    public async Task ListsARepositoryByItsPlainPath()
    {
        var refs = await Lister().ListAsync(_repository.Path, null, CancellationToken.None);

        AssertListsTheTestRepository(refs);
    }

    [Fact]
    public async Task AMissingRepositoryFailsWithAClearMessage()
    {
        var missing = Path.Combine(_repository.Path, "no-such-repository");

        var exception = await Assert.ThrowsAsync<RefListingException>(() => Lister().ListAsync(missing, null, CancellationToken.None));

        Assert.Contains(missing, exception.Message);
        Assert.Contains("does not appear to be a git repository", exception.Message);
    }

    [Fact]
    public async Task ARefusedConnectionFailsFast()
    {
        var url = $"https://127.0.0.1:{LoopbackServer.ClosedPort()}/team/repo.git";
        var started = Stopwatch.GetTimestamp();

        var exception = await Assert.ThrowsAsync<RefListingException>(() =>
            Lister().ListAsync(url, new GitCredentials("bot", Password), CancellationToken.None));

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10));
        Assert.Contains("connect", exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Password, exception.Message);
    }

    [Fact]
    public async Task AServerThatRefusesTheCredentialsFailsWithoutPromptingOrEchoingThem()
    {
        await using var server = await LoopbackServer.StartAsync(Unauthorized);
        var urlPassword = "url-pa55word";
        var url = $"http://someone:{urlPassword}@{server.Address.Authority}/scm/team/repo.git";
        var started = Stopwatch.GetTimestamp();

        var exception = await Assert.ThrowsAsync<RefListingException>(() =>
            Lister().ListAsync(url, new GitCredentials("bot", Password), CancellationToken.None));

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "git waited for a prompt");
        Assert.Contains("credentials", exception.Message);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"bot:{Password}"));
        Assert.DoesNotContain(Password, exception.ToString());
        Assert.DoesNotContain(basic, exception.ToString());
        Assert.DoesNotContain(urlPassword, exception.ToString());
        // The credentials were offered, in a header rather than on git's command line.
        Assert.Contains(server.Requests, request => request.Headers.GetValueOrDefault("Authorization") == $"Basic {basic}");
    }

    [Fact]
    public async Task ATokenWithoutAUserNameIsSentAsABearerToken()
    {
        await using var server = await LoopbackServer.StartAsync(Unauthorized);

        await Assert.ThrowsAsync<RefListingException>(() =>
            Lister().ListAsync(new Uri(server.Address, "/scm/team/repo.git").AbsoluteUri, new GitCredentials(null, Password), CancellationToken.None));

        Assert.Contains(server.Requests, request => request.Headers.GetValueOrDefault("Authorization") == $"Bearer {Password}");
    }

    [Fact]
    public async Task AServerThatNeverAnswersIsAbandonedAtTheTimeoutAndGitIsKilled()
    {
        await using var server = await LoopbackServer.StartAsync(NeverAnswer);
        var url = new Uri(server.Address, $"/hang/{Guid.NewGuid():N}.git").AbsoluteUri;
        var started = Stopwatch.GetTimestamp();

        var exception = await Assert.ThrowsAsync<RefListingException>(() =>
            Lister(TimeSpan.FromSeconds(1)).ListAsync(url, null, CancellationToken.None));

        Assert.Contains("timed out", exception.Message);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10));
        await AssertNoProcessMentionsAsync(url);
    }

    [Fact]
    public async Task CancellationByTheCallerKillsGitAndCancels()
    {
        await using var server = await LoopbackServer.StartAsync(NeverAnswer);
        var url = new Uri(server.Address, $"/hang/{Guid.NewGuid():N}.git").AbsoluteUri;
        using var cancellation = new CancellationTokenSource();
        var listing = Lister().ListAsync(url, null, cancellation.Token);
        await Poll.UntilAsync(() => Task.FromResult(server.Requests.Count), count => count > 0, "the server to be asked");

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listing);
        await AssertNoProcessMentionsAsync(url);
    }

    [Fact]
    public async Task AnSshListingFailsCleanlyAndNeverShowsTheKey()
    {
        const string key = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90LWEtcmVhbC1rZXktYnV0LXNlY3JldA==\n-----END OPENSSH PRIVATE KEY-----";
        var url = $"ssh://git@127.0.0.1:{LoopbackServer.ClosedPort()}/team/repo.git";

        var exception = await Assert.ThrowsAsync<RefListingException>(() =>
            Lister().ListAsync(url, new GitCredentials(null, null, key), CancellationToken.None));

        Assert.Contains("Connection refused", exception.Message);
        Assert.DoesNotContain("bm90LWEtcmVhbC1rZXktYnV0LXNlY3JldA", exception.ToString());
    }

    [Theory]
    [InlineData("ext::sh -c touch% /tmp/pwned")]
    [InlineData("ftp://example.com/repo.git")]
    [InlineData("--upload-pack=touch /tmp/pwned")]
    [InlineData("relative/path")]
    [InlineData("")]
    public async Task UnsupportedLocationsAreRefusedBeforeGitRuns(string url)
    {
        await Assert.ThrowsAsync<RefListingException>(() => Lister().ListAsync(url, null, CancellationToken.None));
    }

    private static async Task NeverAnswer(int index, HttpContext context)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task Unauthorized(int index, HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Bitbucket\"";
        await context.Response.WriteAsync("Authentication required");
    }

    /// <summary>No process (git, git-remote-http, ssh) is left with <paramref name="text"/> on its command line.</summary>
    private static Task AssertNoProcessMentionsAsync(string text) => Poll.UntilAsync(() => Task.FromResult(
        !Directory.EnumerateDirectories("/proc").Any(directory =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(text, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        })), none => none, "no process to have the text on its command line");
}
