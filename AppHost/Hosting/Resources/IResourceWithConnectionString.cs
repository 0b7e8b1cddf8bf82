namespace Webhooks.AppHost.Hosting.Resources;

/// <summary>A resource other resources reach through <c>ConnectionStrings__{Name}</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>Known once the resource is prepared.</summary>
    string ConnectionString { get; }
}
