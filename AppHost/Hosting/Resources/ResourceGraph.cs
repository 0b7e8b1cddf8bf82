namespace Webhooks.AppHost.Hosting.Resources;

/// <summary>The wait-for graph: who starts after whom, and the reverse for stopping.</summary>
internal sealed class ResourceGraph
{
    private readonly IReadOnlyList<Resource> _resources;

    public ResourceGraph(IReadOnlyList<Resource> resources)
    {
        _resources = resources;
        StartOrder = Sort(resources);
    }

    /// <summary>Every resource after the ones it depends on; declaration order otherwise.</summary>
    public IReadOnlyList<Resource> StartOrder { get; }

    public IEnumerable<Resource> StopOrder => StartOrder.Reverse();

    public Resource this[string name] =>
        _resources.FirstOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException($"No resource named '{name}' (declared: {string.Join(", ", _resources.Select(r => r.Name))}).");

    private static List<Resource> Sort(IReadOnlyList<Resource> resources)
    {
        foreach (var dependency in resources.SelectMany(r => r.Dependencies))
        {
            if (!resources.Contains(dependency))
            {
                throw new StartupException(FailureMessages.UndeclaredDependency(dependency.Name));
            }
        }

        var sorted = new List<Resource>(resources.Count);
        var visiting = new List<Resource>();
        foreach (var resource in resources)
        {
            Visit(resource, sorted, visiting);
        }

        return sorted;
    }

    private static void Visit(Resource resource, List<Resource> sorted, List<Resource> visiting)
    {
        if (sorted.Contains(resource))
        {
            return;
        }

        var index = visiting.IndexOf(resource);
        if (index >= 0)
        {
            var cycle = visiting.Skip(index).Append(resource).Select(r => r.Name);
            throw new StartupException(FailureMessages.WaitForCycle(cycle));
        }

        visiting.Add(resource);
        foreach (var dependency in resource.Dependencies)
        {
            Visit(dependency, sorted, visiting);
        }

        visiting.RemoveAt(visiting.Count - 1);
        sorted.Add(resource);
    }
}
