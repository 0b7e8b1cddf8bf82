using Microsoft.Extensions.Configuration;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting;

internal sealed class DistributedApplicationBuilder(StackOptions options, IConfiguration configuration, StartupException? invalidArguments = null)
    : IDistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    public IConfiguration Configuration { get; } = configuration;

    public StackOptions Options { get; } = options;

    public IReadOnlyList<Resource> Resources => _resources;

    internal bool HelpRequested { get; init; }

    /// <summary>appsettings.json, appsettings.{Environment}.json, environment variables, command line.</summary>
    public static DistributedApplicationBuilder FromArgs(string[] args)
    {
        try
        {
            var (settings, rest) = StackCommandLine.Parse(args);
            var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                ?? "Development";
            var configuration = new ConfigurationBuilder()
                .SetBasePath(AppContext.BaseDirectory)
                .AddJsonFile("appsettings.json", optional: true)
                .AddJsonFile($"appsettings.{environment}.json", optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine(rest)
                .AddInMemoryCollection(settings)
                .Build();
            return new DistributedApplicationBuilder(StackOptionsReader.Read(configuration), configuration)
            {
                HelpRequested = configuration["Help"] == "true",
            };
        }
        catch (StartupException e)
        {
            // Reported by RunAsync, so that Program.cs stays a plain declaration.
            return new DistributedApplicationBuilder(new StackOptions(), new ConfigurationBuilder().Build(), e);
        }
    }

    /// <summary>For tests: only <see cref="StackOptions.Configuration"/>, nothing from the machine's environment.</summary>
    public static DistributedApplicationBuilder FromOptions(StackOptions options) =>
        new(options, new ConfigurationBuilder().AddInMemoryCollection(options.Configuration).Build());

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already declared.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    public IResourceBuilder<T> GetResource<T>(string name) where T : Resource =>
        _resources.OfType<T>().FirstOrDefault(r => r.Name == name) is { } resource
            ? new ResourceBuilder<T>(resource, this)
            : throw new KeyNotFoundException($"No {typeof(T).Name} named '{name}'.");

    public DistributedApplication Build() => new(Options, Configuration, _resources, invalidArguments, HelpRequested);
}
