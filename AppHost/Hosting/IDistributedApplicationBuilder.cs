using Microsoft.Extensions.Configuration;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting;

/// <summary>Where resources are declared (Aspire's <c>IDistributedApplicationBuilder</c>).</summary>
public interface IDistributedApplicationBuilder
{
    IConfiguration Configuration { get; }

    StackOptions Options { get; }

    IReadOnlyList<Resource> Resources { get; }

    IResourceBuilder<T> AddResource<T>(T resource) where T : Resource;

    /// <summary>The builder of a declared resource, e.g. to add environment for a test.</summary>
    IResourceBuilder<T> GetResource<T>(string name) where T : Resource;

    DistributedApplication Build();
}
