using System.Security.Cryptography;
using Npgsql;
using Webhooks.AppHost.Hosting.Processes;
using Webhooks.AppHost.Hosting.Resources;
using Webhooks.AppHost.Hosting.Secrets;

namespace Webhooks.AppHost.Hosting.Postgres;

/// <summary>
/// A PostgreSQL server run from the machine's binaries in <c>&lt;data-dir&gt;/postgres</c>, on a free loopback port,
/// as the <c>postgres</c> user when the AppHost is root. Not started when every database has a configured connection string.
/// </summary>
public sealed class PostgresServerResource(string name) : Resource(name)
{
    public const string SuperUser = "postgres";
    public const string PasswordFileName = "postgres-password";

    /// <summary>Written after initdb succeeds: an interrupted initdb leaves PG_VERSION behind but no usable cluster.</summary>
    private const string InitializedMarker = "webhooks-initdb-complete";
    private ChildProcess? _server;
    private string? _socketDirectory;
    private readonly List<int> _everStarted = [];

    public List<PostgresDatabaseResource> Databases { get; } = [];

    public int Port { get; private set; }

    public string Password { get; private set; } = "";

    /// <summary>Null: search the machine (<see cref="PostgresBinaryFinder.ForMachine"/>).</summary>
    public PostgresBinaryFinder? BinaryFinder { get; set; }

    public bool IsExternal => Databases.Count > 0 && Databases.All(d => d.ExternalConnectionString is not null);

    public override IReadOnlyList<int> ProcessIds => _server is { HasExited: false } server ? [server.Id] : [];

    public override IReadOnlyList<int> ProcessIdsEverStarted
    {
        get
        {
            lock (_everStarted)
            {
                return [.. _everStarted];
            }
        }
    }

    /// <summary>Connection string of <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = SuperUser, Password = Password }.ConnectionString;

    internal override void Prepare(StackContext context)
    {
        if (IsExternal)
        {
            return;
        }

        Port = context.Ports.Allocate(Name, context.FixedPort(Name));
        Password = SecretFile.LoadOrCreate(
            Path.Combine(context.DataDirectory, PasswordFileName),
            () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-'));
    }

    internal override async Task StartAsync(StackContext context, CancellationToken cancellationToken)
    {
        if (IsExternal)
        {
            State = ResourceState.External;
            return;
        }

        State = ResourceState.Starting;
        var installation = (BinaryFinder ?? (context.Options.PostgresBinDirectory is { } bin ? PostgresBinaryFinder.InDirectory(bin) : PostgresBinaryFinder.ForMachine())).Find();
        var runAs = await ChooseUserAsync(context, cancellationToken).ConfigureAwait(false);
        var data = await PostgresDataLocation.ResolveAsync(context.DataDirectory, context, cancellationToken).ConfigureAwait(false);
        await StalePostmaster.StopIfRunningAsync(data, Logger, cancellationToken).ConfigureAwait(false);

        // The socket directory must be short (108-byte socket paths) and writable by the server's user.
        _socketDirectory = Directory.CreateTempSubdirectory("webhooks-pg-").FullName;
        await PostgresDataLocation.TakeOwnershipAsync(_socketDirectory, context, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(Path.Combine(data, InitializedMarker)))
        {
            await InitializeAsync(installation, data, runAs, context, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await PostgresDataLocation.TakeOwnershipAsync(data, context, cancellationToken).ConfigureAwait(false);
        }

        _server = await ChildProcess.StartAsync(
            new ProcessSpec(installation.Postgres, [
                "-D", data,
                "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-k", _socketDirectory,
                "-c", "listen_addresses=127.0.0.1",
                "-c", "max_connections=300",
                // Under sustained ingest the default 1 GB of WAL between checkpoints forced one every ~70 s, and after
                // each, the first change to every page logs the whole 8 KB page again: most of the WAL, and its CRC a
                // good part of PostgreSQL's CPU. Checkpoints at most every 15 minutes or ~2 GB of WAL instead; commits
                // are as durable as before, only crash recovery may replay more.
                "-c", "max_wal_size=4GB",
                "-c", "checkpoint_timeout=15min",
            ])
            {
                RunAsUser = runAs,
                ParentDeathSignal = "INT",
                WorkingDirectory = _socketDirectory,
            },
            Logger).ConfigureAwait(false);
        lock (_everStarted)
        {
            _everStarted.Add(_server.Id);
        }

        await WaitUntilAcceptingAsync(context, cancellationToken).ConfigureAwait(false);
        State = ResourceState.Running;
    }

    internal override async Task StopAsync(StackContext context)
    {
        if (_server is { } server)
        {
            State = ResourceState.Stopping;

            // SIGINT is postgres' fast shutdown: disconnect clients, checkpoint, exit.
            await server.StopAsync(Posix.SigInt, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            NpgsqlConnection.ClearAllPools();
        }

        if (_socketDirectory is { } socketDirectory && Directory.Exists(socketDirectory))
        {
            Directory.Delete(socketDirectory, recursive: true);
        }

        State = State == ResourceState.External ? State : ResourceState.Stopped;
    }

    private static async Task<string?> ChooseUserAsync(StackContext context, CancellationToken cancellationToken)
    {
        if (!Posix.IsRoot)
        {
            return null;
        }

        return ProcessLauncher.CanChangeUser && await PostgresDataLocation.UserExistsAsync(context, cancellationToken).ConfigureAwait(false)
            ? PostgresDataLocation.User
            : throw new StartupException(FailureMessages.PostgresUserMissing());
    }

    private async Task InitializeAsync(PostgresInstallation installation, string data, string? runAs, StackContext context, CancellationToken cancellationToken)
    {
        // A half-done initdb (killed AppHost) leaves files initdb refuses to overwrite.
        if (Directory.Exists(data))
        {
            foreach (var entry in new DirectoryInfo(data).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }

        await PostgresDataLocation.TakeOwnershipAsync(data, context, cancellationToken).ConfigureAwait(false);
        var passwordFile = Path.Combine(_socketDirectory!, "initdb-password");
        SecretFile.Write(passwordFile, Password);
        await PostgresDataLocation.TakeOwnershipAsync(_socketDirectory!, context, cancellationToken).ConfigureAwait(false);
        Logger.WriteLine($"initdb {data}");
        try
        {
            var exitCode = await ChildProcess.RunAsync(
                new ProcessSpec(installation.Initdb, [
                    "-D", data,
                    "-U", SuperUser,
                    "--pwfile", passwordFile,
                    "--auth-host=scram-sha-256",
                    "--auth-local=scram-sha-256",
                    "-E", "UTF8",
                    "--no-locale",
                ])
                {
                    RunAsUser = runAs,
                    WorkingDirectory = _socketDirectory,
                },
                Logger,
                cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new StartupException(FailureMessages.CommandFailed(Name, "initdb", exitCode, Logger.RecentLines));
            }

            await File.WriteAllTextAsync(Path.Combine(data, InitializedMarker), "", cancellationToken).ConfigureAwait(false);        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task WaitUntilAcceptingAsync(StackContext context, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + context.Options.HealthTimeout;
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Timeout = 3, Pooling = false }.ConnectionString;
        while (true)
        {
            if (_server!.HasExited)
            {
                await _server.Exited.ConfigureAwait(false);
                throw new StartupException(FailureMessages.ExitedBeforeHealthy(Name, _server.ExitCode, Logger.RecentLines));
            }

            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new StartupException(FailureMessages.NeverHealthy(Name, "accepting connections", context.Options.HealthTimeout, Logger.RecentLines), e);
                }
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }
}
