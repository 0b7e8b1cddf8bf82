namespace Webhooks.AppHost.Hosting.Resources;

internal sealed class ResourceBuilder<T>(T resource, IDistributedApplicationBuilder applicationBuilder) : IResourceBuilder<T>
    where T : Resource
{
    public T Resource { get; } = resource;

    public IDistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;
}
