namespace Webhooks.ChaosTests;

[CollectionDefinition(Name)]
public sealed class ChaosCollection : ICollectionFixture<ChaosStackFixture>
{
    public const string Name = "chaos";
}
