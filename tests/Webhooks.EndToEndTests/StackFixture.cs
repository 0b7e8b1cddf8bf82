using Webhooks.Testing;

namespace Webhooks.EndToEndTests;

/// <summary>
/// The whole stack as <c>dotnet run --project AppHost -- --replicas 2</c> starts it, through Aspire.Hosting.Testing, with a
/// fresh data directory: started once for the collection. A collection that needs other settings derives from it and
/// passes them to the protected constructor; it then gets a stack of its own.
/// </summary>
public class StackFixture : IAsyncLifetime
{
    public const int Replicas = 2;

    private readonly Action<AppHostStackOptions> _configure;

    public StackFixture()
        : this(_ => { })
    {
    }

    /// <param name="configure">Changes the options before the stack starts (e.g. <see cref="AppHostStackOptions.ProjectEnvironment"/>).</param>
    protected StackFixture(Action<AppHostStackOptions> configure) => _configure = configure;

    public string Directory { get; } = TraversableTemporaryDirectory.Create("webhooks-e2e-");

    public AppHostStack Stack { get; private set; } = null!;

    /// <summary>The stack's log: the AppHost's and every resource's console.</summary>
    public string LogPath => Stack.LogPath;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        var options = new AppHostStackOptions
        {
            Replicas = Replicas,
            DataDirectory = Path.Combine(Directory, "data"),
            LogPath = Path.Combine(Directory, "stack.log"),
        };
        _configure(options);
        Stack = await AppHostStack.StartAsync(options);
        await ClusterHealth.WaitUntilHealthyAsync(Stack, Replicas, TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        Http.Dispose();

        // The log stays for a failed run; the data (the PostgreSQL cluster) goes.
        var data = Path.Combine(Directory, "data");
        if (System.IO.Directory.Exists(data))
        {
            System.IO.Directory.Delete(data, recursive: true);
        }
    }
}
