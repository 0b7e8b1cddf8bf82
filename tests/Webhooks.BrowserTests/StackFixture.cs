using System.Collections.Concurrent;
using Microsoft.Playwright;
using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Logging;
using Webhooks.AppHost.Hosting.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Webhooks.BrowserTests;

/// <summary>
/// The real stack (postgres, redis, two receiver replicas, the dashboard) started once through the AppHost's
/// library, and one headless Chromium, shared by the browser tests.
/// </summary>
public sealed class StackFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    public const int ReceiverReplicas = 2;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"webhooks-browser-tests-{Guid.NewGuid():N}");
    private readonly CollectingLogSink _logs = new();
    private DistributedApplication? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public Uri DashboardUrl { get; private set; } = default!;

    public string AdminToken => _app!.AdminToken;

    /// <summary>The stack's log so far: attach it to a failing test's output.</summary>
    public IReadOnlyCollection<string> Logs => _logs.Lines;

    public async Task InitializeAsync()
    {
        var options = new StackOptions
        {
            Replicas = ReceiverReplicas,
            DataDirectory = _dataDirectory,
            Fresh = true,
            LogSink = _logs,
        };
        try
        {
            _app = await DistributedApplicationTestingBuilder.StartAsync(options);
        }
        catch
        {
            foreach (var line in _logs.Lines.TakeLast(200))
            {
                diagnostics.OnMessage(new DiagnosticMessage(line));
            }

            throw;
        }

        DashboardUrl = _app.GetEndpoint("dashboard");

        // Live pages poll every 2-5 s and CI shares two cores with the whole stack: Playwright's 5 s default for
        // expectations failed there on an update that arrived a moment later. The wait still ends as soon as it holds.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Debian's Chromium: Playwright would otherwise look for a browser it downloaded itself.
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>Waits (event-driven, with a deadline) until a log line of <paramref name="source"/> matches.</summary>
    public Task WaitForLogAsync(string source, Func<string, bool> match, TimeSpan timeout) =>
        _logs.WaitForAsync(line => line.StartsWith(source, StringComparison.Ordinal) && match(line), timeout);

    public Uri ReceiverUrl(int replica) => _app!.GetEndpoint("receiver", replica);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Postgres may still be releasing files; the directory is under the temp folder anyway.
        }
    }

    private sealed class CollectingLogSink : ILogSink
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<string> Lines => _lines;

        public void Write(string source, string line)
        {
            _lines.Enqueue($"{source}: {line}");
            while (_lines.Count > 5000 && _lines.TryDequeue(out _))
            {
            }

            Interlocked.Exchange(ref _written, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public async Task WaitForAsync(Func<string, bool> match, TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            while (true)
            {
                var written = Volatile.Read(ref _written).Task;
                if (_lines.Any(match))
                {
                    return;
                }

                try
                {
                    await written.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"No matching log line within {timeout.TotalSeconds:0} s.");
                }
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
