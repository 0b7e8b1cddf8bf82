namespace Webhooks.AppHost.Hosting.Resources;

public static class WaitForExtensions
{
    /// <summary>Start <paramref name="builder"/> only once <paramref name="dependency"/> is healthy; stop it first.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        if (!builder.Resource.WaitsFor.Contains(dependency.Resource))
        {
            builder.Resource.WaitsFor.Add(dependency.Resource);
        }

        return builder;
    }
}
