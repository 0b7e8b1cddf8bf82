namespace Webhooks.AppHost.Hosting.Resources;

/// <summary>Fluent handle on a declared resource (Aspire's <c>IResourceBuilder&lt;T&gt;</c>).</summary>
public interface IResourceBuilder<out T> where T : Resource
{
    T Resource { get; }

    IDistributedApplicationBuilder ApplicationBuilder { get; }
}
