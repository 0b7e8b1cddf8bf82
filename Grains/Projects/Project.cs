namespace Webhooks.Grains.Projects;

/// <summary>A tenant: owns receivers, warehouses, webhook tokens and smart-commit settings.</summary>
public sealed class Project
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>URL-safe, unique, used in routes (<c>/api/projects/{name}</c>).</summary>
    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
