using System.Globalization;
using System.Xml.Linq;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Projects;

/// <summary>
/// A .NET project of the solution run as <c>dotnet &lt;built dll&gt;</c>, one process per replica, each on its own
/// loopback port, healthy when <c>GET /health</c> answers 200, restarted with back-off when it crashes.
/// </summary>
public sealed class ProjectResource(string name, string projectPath) : Resource(name)
{
    private ProjectReplica[] _running = [];

    public string ProjectPath { get; } = projectPath;

    public string ProjectDirectory => Path.GetDirectoryName(ProjectPath)!;

    public int Replicas { get; internal set; } = 1;

    public string HealthPath { get; internal set; } = "/health";

    /// <summary>Set when a project references an Orleans cluster as a silo: each replica gets silo and gateway ports.</summary>
    public bool IsOrleansSilo { get; internal set; }

    public IReadOnlyList<int> HttpPorts { get; private set; } = [];

    public IReadOnlyList<int> SiloPorts { get; private set; } = [];

    public IReadOnlyList<int> GatewayPorts { get; private set; } = [];

    internal List<Action<EnvironmentContext>> EnvironmentCallbacks { get; } = [];

    /// <summary>Links shown in the banner, built from replica 0's endpoint.</summary>
    internal List<(string Text, Func<Uri, string> Url)> DisplayUrls { get; } = [];

    /// <summary>Resources this project references (connection strings, service endpoints, clusters).</summary>
    internal List<object> References { get; } = [];

    /// <summary><c>bin/&lt;Configuration&gt;/net10.0/&lt;AssemblyName&gt;.dll</c> next to the project file.</summary>
    public string AssemblyPath
    {
        get
        {
            var assemblyName = Path.GetFileNameWithoutExtension(ProjectPath);
            if (File.Exists(ProjectPath)
                && XDocument.Load(ProjectPath).Descendants("AssemblyName").FirstOrDefault()?.Value is { Length: > 0 } declared)
            {
                assemblyName = declared;
            }

            return Path.Combine(ProjectDirectory, "bin", ProjectPaths.Configuration, "net10.0", assemblyName + ".dll");
        }
    }

    public Uri GetEndpoint(int replica = 0) =>
        replica >= 0 && replica < HttpPorts.Count
            ? new Uri($"http://127.0.0.1:{HttpPorts[replica].ToString(CultureInfo.InvariantCulture)}")
            : throw new ArgumentOutOfRangeException(nameof(replica), $"{Name} has {HttpPorts.Count} replica(s); ports are allocated when the application is built.");

    public EndpointReference GetEndpointReference(int replica = 0) => new(this, replica);

    public string ReplicaName(int replica) => $"{Name}-{replica.ToString(CultureInfo.InvariantCulture)}";

    public override IReadOnlyList<int> ProcessIds => [.. _running.SelectMany(r => r.ProcessIds)];

    public override IReadOnlyList<int> ProcessIdsEverStarted => [.. _running.SelectMany(r => r.ProcessIdsEverStarted)];

    public override IReadOnlyList<string> RecentLogLines => [.. _running.SelectMany(r => r.Logger.RecentLines.Select(l => $"{r.Name}: {l}"))];

    /// <summary>The environment replica <paramref name="replica"/> is started with (on top of the AppHost's own).</summary>
    public IReadOnlyDictionary<string, string?> BuildEnvironment(int replica, StackContextView stack)
    {
        var variables = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = GetEndpoint(replica).ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = stack.EnvironmentName,
            ["DOTNET_ENVIRONMENT"] = stack.EnvironmentName,
            ["OTEL_SERVICE_NAME"] = Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={ReplicaName(replica)}",
        };
        if (stack.OtlpEndpoint is { } otlp)
        {
            variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        }

        var context = new EnvironmentContext(this, replica, variables);
        foreach (var callback in EnvironmentCallbacks)
        {
            callback(context);
        }

        foreach (var (key, value) in stack.ProjectEnvironment)
        {
            variables[key] = value;
        }

        return variables;
    }

    internal override void Prepare(StackContext context)
    {
        var fixedPort = context.FixedPort(Name);
        HttpPorts = [.. Enumerable.Range(0, Replicas).Select(i => context.Ports.Allocate(ReplicaName(i), fixedPort + i))];
        if (IsOrleansSilo)
        {
            SiloPorts = [.. Enumerable.Range(0, Replicas).Select(i => context.Ports.Allocate($"{ReplicaName(i)} silo"))];
            GatewayPorts = [.. Enumerable.Range(0, Replicas).Select(i => context.Ports.Allocate($"{ReplicaName(i)} gateway"))];
        }
    }

    /// <summary>Fails with one clear line when the project was not built.</summary>
    internal void EnsureBuilt()
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new StartupException(FailureMessages.ProjectNotBuilt(Name, AssemblyPath));
        }
    }

    internal override async Task StartAsync(StackContext context, CancellationToken cancellationToken)
    {
        State = ResourceState.Starting;
        EnsureBuilt();
        var view = new StackContextView(context);
        _running = [.. Enumerable.Range(0, Replicas).Select(i => new ProjectReplica(this, i, BuildEnvironment(i, view), context))];
        await Task.WhenAll(_running.Select(r => r.StartAsync(cancellationToken))).ConfigureAwait(false);
        State = ResourceState.Running;
    }

    internal override async Task StopAsync(StackContext context)
    {
        if (_running.Length == 0)
        {
            return;
        }

        State = ResourceState.Stopping;
        await Task.WhenAll(_running.Select(r => r.StopAsync(context.Options.StopTimeout))).ConfigureAwait(false);
        State = ResourceState.Stopped;
    }
}
