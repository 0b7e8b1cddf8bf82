namespace Webhooks.EndToEndTests;

/// <summary>
/// A stack of its own: <see cref="StackTests"/> ends by stopping the shared one, and xunit does not order classes within
/// a collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RefreshStackCollection : ICollectionFixture<RefreshStackFixture>
{
    public const string Name = "refresh-stack";
}
