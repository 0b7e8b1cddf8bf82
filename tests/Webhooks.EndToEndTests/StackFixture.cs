using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Testing;

namespace Webhooks.EndToEndTests;

/// <summary>
/// The whole stack, two receiver replicas, a fresh data directory: started once for the collection. A collection that
/// needs other settings derives from it and passes them to the protected constructor; it then gets a stack of its own.
/// </summary>
public class StackFixture : IAsyncLifetime
{
    public const int Replicas = 2;

    private readonly Action<StackOptions> _configure;

    public StackFixture()
        : this(_ => { })
    {
    }

    /// <param name="configure">Changes the options before the stack starts (e.g. <see cref="StackOptions.ProjectEnvironment"/>).</param>
    protected StackFixture(Action<StackOptions> configure) => _configure = configure;

    public string DataDirectory { get; } = TraversableTemporaryDirectory.Create("webhooks-e2e-");

    public FileLogSink Log { get; private set; } = null!;

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        Log = new FileLogSink(Path.Combine(DataDirectory, "stack.log"));
        var options = new StackOptions
        {
            Replicas = Replicas,
            DataDirectory = Path.Combine(DataDirectory, "data"),
            Fresh = true,
            LogSink = Log,
            HealthTimeout = TimeSpan.FromSeconds(180),
        };
        _configure(options);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            App = await DistributedApplicationTestingBuilder.StartAsync(options, deadline.Token);
        }
        catch (StartupException e)
        {
            throw new InvalidOperationException($"{e.Message} (full log: {Log.Path})", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        Http.Dispose();
        Log.Dispose();

        // The log stays for a failed run; the data (postgres cluster) goes.
        var data = Path.Combine(DataDirectory, "data");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
