using Aspire.Hosting;
using Microsoft.Playwright;
using Webhooks.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Webhooks.BrowserTests;

/// <summary>
/// The real stack (postgres, redis, two receiver replicas, the dashboard) started once through the AppHost with
/// Aspire.Hosting.Testing (random ports, a fresh data directory), and one headless Chromium, shared by the browser tests.
/// </summary>
public sealed class StackFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    public const int ReceiverReplicas = 2;

    private readonly string _directory = TraversableTemporaryDirectory.Create("webhooks-browser-tests-");
    private AppHostStack? _stack;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public AppHostStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    public Uri DashboardUrl => Stack.Dashboard;

    /// <summary>The receivers' endpoint: Aspire's proxy in front of the replicas, the base of every receiver's URL.</summary>
    public Uri ReceiverUrl => Stack.Receiver;

    public string AdminToken => Stack.AdminToken;

    /// <summary>The stack's log: the AppHost's and every resource's console, one line each (<c>time source level: text</c>).</summary>
    public string LogPath => Path.Combine(_directory, "stack.log");

    public async Task InitializeAsync()
    {
        try
        {
            _stack = await AppHostStack.StartAsync(new AppHostStackOptions
            {
                Replicas = ReceiverReplicas,
                DataDirectory = Path.Combine(_directory, "data"),
                LogPath = LogPath,
                // Warm and alone the stack is healthy in about 15 s; on two cores shared with other builds (load 20-30)
                // the dashboard was still connecting when the default 4 minutes ran out.
                HealthTimeout = TimeSpan.FromMinutes(8),
            });
            await WaitForActiveSilosAsync(TimeSpan.FromMinutes(2));
        }
        catch
        {
            foreach (var line in ReadLog().TakeLast(200))
            {
                diagnostics.OnMessage(new DiagnosticMessage(line));
            }

            throw;
        }

        // Live pages poll every 2-5 s and CI shares two cores with the whole stack: Playwright's 5 s default for
        // expectations failed there on an update that arrived a moment later. The wait still ends as soon as it holds.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Debian's Chromium, headless: Playwright would otherwise look for a browser it downloaded itself.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });

    /// <summary>
    /// The address of one receiver replica itself, behind Aspire's proxy (which spreads requests over the replicas):
    /// the target port DCP gave that replica, from the <c>ASPNETCORE_URLS</c> Aspire reports for it.
    /// </summary>
    public Uri ReplicaUrl(int replica)
    {
        var instances = Stack.Processes.Instances("receiver");
        Assert.True(instances.Count == ReceiverReplicas, $"expected {ReceiverReplicas} receiver instances, Aspire reports {string.Join(", ", instances)}");
        Assert.True(Stack.App.ResourceNotifications.TryGetCurrentState(instances[replica], out var state), $"no state for {instances[replica]}");
        var urls = state.Snapshot.EnvironmentVariables.FirstOrDefault(e => e.Name == "ASPNETCORE_URLS")?.Value
            ?? throw new InvalidOperationException($"{instances[replica]} has no ASPNETCORE_URLS");
        var url = new Uri(urls.Split(';')[0].Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal));
        Assert.True(url.Port != Stack.Receiver.Port, $"{instances[replica]} reports the proxy's address {url}, not its own");
        return url;
    }

    /// <summary>The log lines of a resource's instances (<c>dashboard</c>, <c>receiver</c>) so far.</summary>
    public IReadOnlyList<string> ResourceLog(string resource) =>
        [.. ReadLog().Where(line => line.Split(' ', 3) is [_, var source, _] && (source == resource || source.StartsWith(resource + "-", StringComparison.Ordinal)))];

    /// <summary>Polls the stack's log, with a deadline, until a line of <paramref name="resource"/> matches.</summary>
    public Task WaitForLogAsync(string resource, Func<string, bool> match, TimeSpan timeout) =>
        Eventually.HoldsAsync(() => Task.FromResult(ResourceLog(resource).Any(match)), timeout, $"a matching log line of {resource}");

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        // The log stays for a failed run; the data (the PostgreSQL cluster) goes.
        var data = Path.Combine(_directory, "data");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Every replica's silo Active in the cluster, as the management API reports it.</summary>
    public async Task WaitForActiveSilosAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Stack.Receiver, Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Stack.AdminToken);
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/cluster"));
                return json.RootElement.GetProperty("silos").EnumerateArray()
                    .Count(silo => silo.GetProperty("status").GetString() == "Active") == ReceiverReplicas;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, timeout, $"{ReceiverReplicas} active silos");
    }

    private IEnumerable<string> ReadLog()
    {
        if (!File.Exists(LogPath))
        {
            return [];
        }

        // The stack keeps writing: share the file.
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
