using Webhooks.AppHost.Hosting.Postgres;

namespace Webhooks.AppHost.Hosting;

/// <summary>The stack's persistent directory: postgres data, the admin token, the postgres password.</summary>
internal static class DataDirectory
{
    /// <summary>Wipes it when <paramref name="fresh"/>, creates it, and proves it is writable.</summary>
    public static async Task PrepareAsync(string path, bool fresh, StackContext context)
    {
        if (fresh && Directory.Exists(path))
        {
            await PostgresDataLocation.WipeAsync(path, context).ConfigureAwait(false);
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StartupException(FailureMessages.DataDirectoryNotWritable(path, e.Message), e);
            }
        }

        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(FailureMessages.DataDirectoryNotWritable(path, e.Message), e);
        }
    }
}
