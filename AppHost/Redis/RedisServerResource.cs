namespace Webhooks.AppHost.Redis;

/// <summary>
/// Debian's <c>redis-server</c> run by DCP, with an append-only file in <c>&lt;data-dir&gt;/redis</c> so Orleans'
/// membership survives a restart: an executable, since Aspire's own <c>AddRedis</c> needs a container engine, and a
/// connection-string resource for the services and for Orleans' Redis clustering.
/// </summary>
public sealed class RedisServerResource(string name, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public ParameterResource Password { get; } = password;

    public EndpointReference Endpoint => field ??= new EndpointReference(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)},password={Password}");
}
