using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Secrets;

/// <summary>A secret parameter (Aspire's <c>AddParameter(secret: true)</c>) whose value is the persisted admin token.</summary>
public sealed class AdminTokenResource(string name) : Resource(name)
{
    private string? _value;

    public string Value => _value ?? throw new InvalidOperationException("The admin token is known once the application is built and prepared.");

    internal override void Prepare(StackContext context) => _value = AdminToken.LoadOrCreate(context.DataDirectory);

    internal override Task StartAsync(StackContext context, CancellationToken cancellationToken)
    {
        State = ResourceState.Running;
        return Task.CompletedTask;
    }

    internal override Task StopAsync(StackContext context)
    {
        State = ResourceState.Stopped;
        return Task.CompletedTask;
    }
}
