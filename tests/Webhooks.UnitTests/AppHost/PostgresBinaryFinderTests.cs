using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Postgres;

namespace Webhooks.UnitTests.AppHost;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PostgresBinaryFinderTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();

    [Fact]
    public void LooksInPathThenPgConfigThenVersionedDirectoriesNewestFirst()
    {
        var path = Directory.CreateDirectory(_temp.Combine("path")).FullName;
        var pgConfig = Directory.CreateDirectory(_temp.Combine("pgconfig")).FullName;
        var root = _temp.Combine("lib");
        foreach (var version in new[] { "9.6", "15", "13" })
        {
            Directory.CreateDirectory(Path.Combine(root, version, "bin"));
        }

        var finder = new PostgresBinaryFinder([path], () => pgConfig, root);

        Assert.Equal(
            [path, pgConfig, Path.Combine(root, "15", "bin"), Path.Combine(root, "13", "bin"), Path.Combine(root, "9.6", "bin")],
            finder.Candidates());
    }

    [Fact]
    public void PicksTheFirstDirectoryHoldingInitdbPostgresAndPgCtl()
    {
        var incomplete = Installation("path", "initdb", "postgres");
        var pgConfig = Installation("pgconfig", "initdb", "postgres", "pg_ctl");
        var root = _temp.Combine("lib");
        Installation(Path.Combine("lib", "16", "bin"), "initdb", "postgres", "pg_ctl");

        var found = new PostgresBinaryFinder([incomplete], () => pgConfig, root).Find();

        Assert.Equal(pgConfig, found.BinDirectory);
    }

    [Fact]
    public void FallsBackToTheNewestVersionedInstallation()
    {
        var root = _temp.Combine("lib");
        Installation(Path.Combine("lib", "13", "bin"), "initdb", "postgres", "pg_ctl");
        var newest = Installation(Path.Combine("lib", "15", "bin"), "initdb", "postgres", "pg_ctl");

        var found = new PostgresBinaryFinder([], () => null, root).Find();

        Assert.Equal(newest, found.BinDirectory);
    }

    [Fact]
    public void ASymlinkOnPathLeadsToTheRealInstallation()
    {
        var real = Installation("real", "initdb", "postgres", "pg_ctl");
        var path = Directory.CreateDirectory(_temp.Combine("usr-local-bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(path, "initdb"), Path.Combine(real, "initdb"));

        var found = new PostgresBinaryFinder([path], () => null, null).Find();

        Assert.Equal(real, found.BinDirectory);
    }

    [Fact]
    public void AnEmptyConfiguredDirectoryFailsWithTheInstallHint()
    {
        var empty = Directory.CreateDirectory(_temp.Combine("empty")).FullName;

        var failure = Assert.Throws<StartupException>(() => PostgresBinaryFinder.InDirectory(empty).Find());

        Assert.Equal(FailureMessages.PostgresNotInstalled([$"{empty} (Postgres:BinDirectory)"]), failure.Message);
    }

    [Fact]
    public void ProgramsThatAreNotExecutableDoNotCount()
    {
        var directory = Installation("noexec", "initdb", "postgres", "pg_ctl");
        File.SetUnixFileMode(Path.Combine(directory, "pg_ctl"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Throws<StartupException>(() => new PostgresBinaryFinder([directory], () => null, null).Find());
    }

    public void Dispose() => _temp.Dispose();

    private string Installation(string relative, params string[] programs)
    {
        var directory = Directory.CreateDirectory(_temp.Combine(relative)).FullName;
        foreach (var program in programs)
        {
            var file = Path.Combine(directory, program);
            File.WriteAllText(file, "#!/bin/sh\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return directory;
    }
}
