using Webhooks.AppHost.Hosting.Resources;
using Webhooks.AppHost.Hosting.Secrets;

namespace Webhooks.AppHost.Hosting.Projects;

public static class ProjectBuilderExtensions
{
    /// <summary>A project of the solution, run from its build output (Aspire's <c>AddProject</c>).</summary>
    public static IResourceBuilder<ProjectResource> AddProject(this IDistributedApplicationBuilder builder, string name, string projectPath) =>
        builder.AddResource(new ProjectResource(name, projectPath));

    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>The path that must answer 200 before the project counts as healthy (default <c>/health</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path)
    {
        builder.Resource.HealthPath = path;
        return builder;
    }

    /// <summary><c>ConnectionStrings__{name}</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference<T>(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<T> source)
        where T : Resource, IResourceWithConnectionString
    {
        var resource = source.Resource;
        builder.Resource.References.Add(resource);
        return builder.WithEnvironment(context => context.Variables[$"ConnectionStrings__{resource.Name}"] = resource.ConnectionString);
    }

    /// <summary><c>services__{name}__http__{i}</c> for every replica of <paramref name="source"/> (Aspire's service discovery names).</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> source)
    {
        var project = source.Resource;
        builder.Resource.References.Add(project);
        return builder.WithEnvironment(context =>
        {
            for (var i = 0; i < project.Replicas; i++)
            {
                context.Variables[$"services__{project.Name}__http__{i}"] = project.GetEndpoint(i).ToString().TrimEnd('/');
            }
        });
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, string? value) =>
        builder.WithEnvironment(context => context.Variables[name] = value);

    /// <summary>A secret parameter's value (e.g. the admin token).</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, IResourceBuilder<AdminTokenResource> parameter) =>
        builder.WithEnvironment(context => context.Variables[name] = parameter.Resource.Value);

    /// <summary>A replica's URL, e.g. the receiver's as the public webhook base URL.</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, EndpointReference endpoint) =>
        builder.WithEnvironment(context => context.Variables[name] = endpoint.Url.ToString().TrimEnd('/'));

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, Action<EnvironmentContext> callback)
    {
        builder.Resource.EnvironmentCallbacks.Add(callback);
        return builder;
    }

    /// <summary>A link the banner shows (Aspire's <c>WithUrl</c>), built from replica 0's endpoint once it is known.</summary>
    public static IResourceBuilder<ProjectResource> WithUrl(this IResourceBuilder<ProjectResource> builder, string displayText, Func<Uri, string> url)
    {
        builder.Resource.DisplayUrls.Add((displayText, url));
        return builder;
    }

    /// <summary>The HTTP endpoint of replica <paramref name="replica"/>.</summary>
    public static EndpointReference GetEndpoint(this IResourceBuilder<ProjectResource> builder, int replica = 0) => builder.Resource.GetEndpointReference(replica);
}
