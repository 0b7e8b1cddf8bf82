namespace Webhooks.Dashboard.Resources;

public enum ResourceKind
{
    Project,
    PostgreSql,
    Redis,
}
