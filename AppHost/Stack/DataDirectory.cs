using System.Buffers.Text;
using System.Security.Cryptography;

namespace Webhooks.AppHost.Stack;

/// <summary>
/// The stack's persistent directory: PostgreSQL's cluster, Redis' append-only file, the admin token, the key-encryption
/// key of the Data Protection key ring and the servers' passwords (mode 600).
/// </summary>
internal static class DataDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Wipes it when <paramref name="fresh"/> (with a cluster it links to outside), creates it, proves it writable.</summary>
    public static void Prepare(string path, bool fresh)
    {
        if (fresh && Directory.Exists(path))
        {
            if (new DirectoryInfo(Path.Combine(path, "postgres")).LinkTarget is { } linkedCluster && Directory.Exists(linkedCluster))
            {
                Directory.Delete(linkedCluster, recursive: true);
            }

            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        var probe = Path.Combine(path, $".write-test-{Environment.ProcessId}");
        File.WriteAllText(probe, "");
        File.Delete(probe);
    }

    /// <summary>A secret kept in <c>&lt;path&gt;/&lt;name&gt;</c>, readable by its owner only, created on first use.</summary>
    public static string Secret(string path, string name, string prefix = "")
    {
        var file = Path.Combine(path, name);
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var value = prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var temporary = file + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(value);
        }

        File.Move(temporary, file, overwrite: true);
        return value;
    }
}
