using Webhooks.AppHost.Stack;

namespace Webhooks.UnitTests.AppHost;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("webhooks-data-").FullName;

    [Fact]
    public void AGeneratedAdminTokenIsWhkFollowedBy256BitsOfBase64UrlKeptReadableByItsOwnerOnly()
    {
        var token = DataDirectory.Secret(_root, "admin-token", "whk_");

        Assert.Matches("^whk_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_root, "admin-token")));
    }

    [Fact]
    public void ALaterRunReusesTheSecretAndAFreshRunMakesANewOne()
    {
        var data = Path.Combine(_root, "data");
        DataDirectory.Prepare(data, fresh: false);
        var first = DataDirectory.Secret(data, "admin-token", "whk_");

        DataDirectory.Prepare(data, fresh: false);
        Assert.Equal(first, DataDirectory.Secret(data, "admin-token", "whk_"));

        DataDirectory.Prepare(data, fresh: true);
        Assert.NotEqual(first, DataDirectory.Secret(data, "admin-token", "whk_"));
    }

    [Fact]
    public void AFreshRunAlsoDeletesAClusterLinkedOutsideTheDataDirectory()
    {
        var data = Path.Combine(_root, "data");
        var outside = Path.Combine(_root, "outside-cluster");
        Directory.CreateDirectory(Path.Combine(outside, "base"));
        Directory.CreateDirectory(data);
        Directory.CreateSymbolicLink(Path.Combine(data, "postgres"), outside);

        DataDirectory.Prepare(data, fresh: true);

        Assert.False(Directory.Exists(outside));
        Assert.True(Directory.Exists(data));
        Assert.Empty(Directory.EnumerateFileSystemEntries(data));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
