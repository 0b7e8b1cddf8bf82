namespace Webhooks.Testing;

/// <summary>
/// A temporary directory others may pass through (mode 711): PostgreSQL runs as the postgres user and must reach the
/// data directory inside it, else the AppHost keeps the cluster under /var/lib/webhooks.
/// </summary>
public static class TraversableTemporaryDirectory
{
    public static string Create(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }
}
