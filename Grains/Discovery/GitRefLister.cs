using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Grains.Discovery;

/// <summary>
/// Lists refs by running the git CLI: <c>git ls-remote --heads --tags &lt;url&gt;</c>.
/// </summary>
/// <remarks>
/// Why the CLI for every transport rather than LibGit2Sharp's <c>Repository.ListRemoteReferences</c>:
/// <list type="bullet">
/// <item>LibGit2Sharp's Linux native build has no SSH transport, and Bitbucket users mostly grant access with ssh
/// keys; git speaks https, ssh and file the same way, with one error vocabulary.</item>
/// <item>A listing must be bounded: <c>ListRemoteReferences</c> is synchronous and cannot be cancelled, so a stalled
/// server would pin a thread for as long as it likes; a process can be killed (with its ssh or
/// <c>git-remote-https</c> children) when the timeout or the caller's token fires.</item>
/// <item>git is what Bitbucket itself is tested against (protocol v2, redirects, proxies from <c>https_proxy</c>,
/// the system CA store), and a crash in native code stays in a child process.</item>
/// </list>
/// The cost is a process start per listing (a few milliseconds) and a runtime dependency on <c>git</c> being
/// installed. Secrets never reach the argument list (see <see cref="GitInvocation"/>), git runs without system or
/// global config, prompts, askpass programs or credential helpers, and every message is scrubbed of secrets and URL
/// passwords.
/// </remarks>
public sealed partial class GitRefLister(IOptions<RefDiscoveryOptions> options, ILogger<GitRefLister> logger) : IRefLister
{
    private const int MaxDetailLength = 400;
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(5);

    private readonly RefDiscoveryOptions _options = options.Value;

    public async Task<IReadOnlyList<RemoteRef>> ListAsync(string repositoryUrl, GitCredentials? credentials, CancellationToken cancellationToken)
    {
        var remote = GitRemote.Parse(repositoryUrl);
        cancellationToken.ThrowIfCancellationRequested();
        using var activity = Telemetry.ActivitySource.StartActivity("git ls-remote");
        activity?.SetTag("webhooks.repository.url", remote.DisplayUrl);

        using var invocation = GitInvocation.ForLsRemote(_options.GitExecutable, remote, credentials);
        using var process = new Process { StartInfo = invocation.StartInfo };
        var started = Stopwatch.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new RefListingException($"git could not be started ('{_options.GitExecutable}'): {exception.Message}", exception);
        }

        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(standardOutput, standardError).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            await KillAsync(process, standardOutput, standardError);
            cancellationToken.ThrowIfCancellationRequested();
            LogTimedOut(logger, remote.DisplayUrl, _options.Timeout.TotalSeconds);
            throw new RefListingException($"Listing the refs of {remote.DisplayUrl} timed out after {_options.Timeout.TotalSeconds:0.#} s.");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (process.ExitCode != 0)
        {
            var detail = Describe(await standardError, remote, invocation.Secrets);
            LogFailed(logger, remote.DisplayUrl, process.ExitCode, detail);
            activity?.SetStatus(ActivityStatusCode.Error, detail);
            throw new RefListingException($"Listing the refs of {remote.DisplayUrl} failed: {detail}");
        }

        var refs = LsRemoteOutput.Parse(await standardOutput);
        activity?.SetTag("webhooks.refs.count", refs.Count);
        LogListed(logger, refs.Count, remote.DisplayUrl, elapsed.TotalMilliseconds);
        return refs;
    }

    private static async Task KillAsync(Process process, Task<string> standardOutput, Task<string> standardError)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the deadline and the kill.
        }

        // Let the pipe readers finish so nothing is left reading a disposed stream; a grandchild that escaped the
        // kill could hold the pipes open, so only for a while.
        try
        {
            await Task.WhenAll(standardOutput, standardError).WaitAsync(DrainAfterKill);
        }
        catch (Exception exception) when (exception is TimeoutException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>git's own explanation (its <c>fatal:</c>/<c>error:</c> lines), with secrets and URL passwords removed.</summary>
    internal static string Describe(string standardError, GitRemote remote, IReadOnlyList<string> secrets)
    {
        var lines = standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var explained = lines.Where(line =>
            line.StartsWith("fatal:", StringComparison.OrdinalIgnoreCase)
            || line.StartsWith("error:", StringComparison.OrdinalIgnoreCase)
            || line.StartsWith("remote:", StringComparison.OrdinalIgnoreCase)
            || line.StartsWith("ssh:", StringComparison.OrdinalIgnoreCase)
            || line.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)).ToList();
        var detail = string.Join(" ", explained.Count > 0 ? explained : lines.TakeLast(3));
        if (detail.Length == 0)
            detail = "git failed without saying why.";

        if (remote.Url != remote.DisplayUrl)
            detail = detail.Replace(remote.Url, remote.DisplayUrl, StringComparison.Ordinal);
        foreach (var secret in secrets.Where(secret => secret.Length > 0).OrderByDescending(secret => secret.Length))
            detail = detail.Replace(secret, "***", StringComparison.Ordinal);
        detail = UrlPassword().Replace(detail, "$1:***@");
        if (detail.Length > MaxDetailLength)
            detail = detail[..MaxDetailLength] + "…";

        if (detail.Contains("terminal prompts disabled", StringComparison.Ordinal)
            || detail.Contains("Authentication failed", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("Permission denied", StringComparison.OrdinalIgnoreCase))
            return $"the server requires credentials or refused the ones given ({detail})";
        return detail;
    }

    [GeneratedRegex(@"(://[^/\s:@]+):[^@\s/]+@")]
    private static partial Regex UrlPassword();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Count} refs of {RepositoryUrl} in {ElapsedMs:0} ms")]
    private static partial void LogListed(ILogger logger, int count, string repositoryUrl, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing the refs of {RepositoryUrl} failed (git exit code {ExitCode}): {Detail}")]
    private static partial void LogFailed(ILogger logger, string repositoryUrl, int exitCode, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing the refs of {RepositoryUrl} timed out after {TimeoutSeconds} s; git was killed")]
    private static partial void LogTimedOut(ILogger logger, string repositoryUrl, double timeoutSeconds);
}
