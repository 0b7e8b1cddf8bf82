namespace Webhooks.AppHost.Hosting;

/// <summary>
/// Every reason the AppHost gives up, each one line saying what is wrong and how to fix it.
/// Kept together so the wording is consistent and tests can assert it.
/// </summary>
public static class FailureMessages
{
    public static string PostgresNotInstalled(IEnumerable<string> searched) =>
        "PostgreSQL is not installed: no directory with initdb, postgres and pg_ctl in "
        + string.Join(", ", searched)
        + ". Install it (apt-get install -y postgresql), set Postgres:BinDirectory, or set ConnectionStrings:webhooks to use an existing server.";

    public static string PostgresUserMissing() =>
        "PostgreSQL refuses to run as root and there is no 'postgres' user to run it as. Create one (useradd --system postgres), run the AppHost as a normal user, or set ConnectionStrings:webhooks.";

    public static string PortInUse(string resource, int port) =>
        $"Port {port} configured for {resource} is already in use. Stop whatever listens on it (ss -ltnp 'sport = :{port}') or remove Ports:{resource} to use a free port.";

    public static string DataDirectoryNotWritable(string path, string reason) =>
        $"The data directory {path} is not writable ({reason}). Fix its ownership/permissions, or pass --data-dir with a directory you own.";

    public static string ProjectNotBuilt(string resource, string assemblyPath) =>
        $"The {resource} project is not built: {assemblyPath} does not exist. Build it (dotnet build Webhooks.sln) or start the AppHost with dotnet run --project AppHost, which builds it.";

    public static string NeverHealthy(string resource, string check, TimeSpan timeout, IReadOnlyList<string> lastLines) =>
        $"{resource} did not become healthy ({check}) within {timeout.TotalSeconds:0} s; raise HealthTimeoutSeconds if it is only slow. {LastLines(lastLines)}";

    public static string ExitedBeforeHealthy(string resource, int exitCode, IReadOnlyList<string> lastLines) =>
        $"{resource} exited with code {exitCode} before becoming healthy. {LastLines(lastLines)}";

    public static string CommandFailed(string resource, string command, int exitCode, IReadOnlyList<string> lastLines) =>
        $"{resource}: '{command}' failed with exit code {exitCode}. {LastLines(lastLines)}";

    public static string PostmasterStillRunning(int pid, string dataDirectory) =>
        $"A PostgreSQL server (pid {pid}) left by an earlier run still uses {dataDirectory} and did not stop. Stop it (kill -INT {pid}) and start again.";

    public static string ExternalUnreachable(string resource, string configurationKey, TimeSpan timeout, string error) =>
        $"{resource} from {configurationKey} did not answer within {timeout.TotalSeconds:0} s ({error}). Check that the server runs and the connection string is right, or remove {configurationKey} to start a local {resource}.";

    public static string WaitForCycle(IEnumerable<string> cycle) =>
        $"The resources wait for each other in a cycle: {string.Join(" -> ", cycle)}. Remove one WaitFor.";

    public static string UndeclaredDependency(string resource) =>
        $"A resource waits for '{resource}', which is not declared on this builder. Declare it with the same builder.";

    public static string InvalidReplicas(string value) =>
        $"--replicas must be a whole number between 1 and 16, not '{value}'.";

    public static string MissingArgumentValue(string option) =>
        $"{option} needs a value, e.g. {option} {(option == "--replicas" ? "2" : "/tmp/webhooks")}.";

    // Stack frames say little; the lines before them (the exception message) say what went wrong.
    private static string LastLines(IReadOnlyList<string> lines)
    {
        var telling = lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("at ", StringComparison.Ordinal)).TakeLast(5).ToList();
        return telling.Count == 0 ? "It wrote nothing." : "Last log lines: " + string.Join(" | ", telling);
    }
}
