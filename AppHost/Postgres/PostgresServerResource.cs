namespace Webhooks.AppHost.Postgres;

/// <summary>
/// PostgreSQL run by DCP from the machine's binaries (<c>postgres.sh</c>): an executable, since Aspire's own
/// <c>AddPostgres</c> needs a container engine, and a connection-string resource to the stack's one database.
/// </summary>
public sealed class PostgresServerResource(string name, string workingDirectory, ParameterResource password, string databaseName)
    : ExecutableResource(name, "/bin/sh", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";
    public const string SuperUser = "postgres";

    public ParameterResource Password { get; } = password;

    public string DatabaseName { get; } = databaseName;

    public EndpointReference Endpoint => field ??= new EndpointReference(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username={SuperUser};Password={Password};Database={DatabaseName}");
}
