using Npgsql;
using Webhooks.Grains.Persistence;

namespace Webhooks.UnitTests.Persistence;

public sealed class ConnectionTuningTests
{
    private const string Given = "Host=db;Username=webhooks;Password=secret;Database=webhooks";

    [Fact]
    public void AConnectionStringThatSaysNothingGetsTheServicesDefaults()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.Tuned(Given));

        Assert.Equal(DatabaseExtensions.MaxPoolSize, tuned.MaxPoolSize);
        Assert.Equal(DatabaseExtensions.MaxPoolSize, tuned.MinPoolSize);
        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal("-c jit=off", tuned.Options);
        Assert.Equal("secret", tuned.Password);
    }

    [Theory]
    [InlineData("Maximum Pool Size=100")]
    [InlineData("MAXPOOLSIZE=100")]
    public void APoolSizeTheConnectionStringSetsWins(string setting)
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.Tuned($"{Given};{setting}"));

        Assert.Equal(100, tuned.MaxPoolSize);
        Assert.Equal(DatabaseExtensions.MaxPoolSize, tuned.MinPoolSize);
    }

    [Fact]
    public void ASmallerPoolIsKeptWhole()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.Tuned($"{Given};Maximum Pool Size=8"));

        Assert.Equal(8, tuned.MaxPoolSize);
        Assert.Equal(8, tuned.MinPoolSize);
    }

    [Fact]
    public void AMinimumTheConnectionStringSetsWins()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.Tuned($"{Given};Minimum Pool Size=0"));

        Assert.Equal(0, tuned.MinPoolSize);
    }

    [Fact]
    public void ItsOwnPreparationAndJitSettingsWin()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.Tuned($"{Given};Max Auto Prepare=8;Options=-c jit=on"));

        Assert.Equal(8, tuned.MaxAutoPrepare);
        Assert.Equal("-c jit=on", tuned.Options);
    }

    [Fact]
    public void TheWritersGetAWarmPoolOfTheirOwnWithinTheReplicasThirtyTwoConnections()
    {
        var tuned = DatabaseExtensions.Tuned(Given);
        var writers = new NpgsqlConnectionStringBuilder(DatabaseExtensions.WritersConnectionString(tuned));

        // As many as write at once, all kept open (none pruned), tuned like the shared pool; together no more than before.
        Assert.Equal(DatabaseExtensions.WriterPoolSize, writers.MaxPoolSize);
        Assert.Equal(writers.MaxPoolSize, writers.MinPoolSize);
        Assert.Equal(64, writers.MaxAutoPrepare);
        Assert.Equal("-c jit=off", writers.Options);
        // Not reset between uses: the writers leave nothing in their sessions (PayloadPassTests checks the locks).
        Assert.True(writers.NoResetOnClose);
        Assert.Equal("secret", writers.Password);
        var history = new NpgsqlConnectionStringBuilder(DatabaseExtensions.HistoryConnectionString(tuned));
        Assert.Equal(32, new NpgsqlConnectionStringBuilder(tuned).MaxPoolSize + writers.MaxPoolSize + history.MaxPoolSize);
    }

    [Fact]
    public void TheHistoryWritersGetTheirOwnWarmPoolWithGenericPlans()
    {
        var history = new NpgsqlConnectionStringBuilder(DatabaseExtensions.HistoryConnectionString(DatabaseExtensions.Tuned(Given)));

        Assert.Equal(DatabaseExtensions.HistoryWriters, history.MaxPoolSize);
        Assert.Equal(history.MaxPoolSize, history.MinPoolSize);
        Assert.True(history.NoResetOnClose);
        Assert.Equal("-c jit=off -c plan_cache_mode=force_generic_plan", history.Options);
    }
}
