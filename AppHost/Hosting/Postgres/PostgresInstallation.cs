namespace Webhooks.AppHost.Hosting.Postgres;

/// <summary>A directory holding the PostgreSQL server programs the AppHost runs.</summary>
public sealed record PostgresInstallation(string BinDirectory)
{
    public static readonly IReadOnlyList<string> RequiredPrograms = ["initdb", "postgres", "pg_ctl"];

    public string Initdb => Path.Combine(BinDirectory, "initdb");

    public string Postgres => Path.Combine(BinDirectory, "postgres");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");
}
