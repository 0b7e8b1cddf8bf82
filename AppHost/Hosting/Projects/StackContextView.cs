namespace Webhooks.AppHost.Hosting.Projects;

/// <summary>What a project's environment depends on besides the graph: the environment name, OTLP, test extras.</summary>
public sealed class StackContextView
{
    internal StackContextView(StackContext context)
    {
        EnvironmentName = context.Options.EnvironmentName ?? "Development";
        OtlpEndpoint = context.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } otlp ? otlp : null;
        ProjectEnvironment = new Dictionary<string, string?>(context.Options.ProjectEnvironment);
    }

    public string EnvironmentName { get; }

    public string? OtlpEndpoint { get; }

    public IReadOnlyDictionary<string, string?> ProjectEnvironment { get; }
}
