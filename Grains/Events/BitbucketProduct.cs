namespace Webhooks.Grains.Events;

/// <summary>Which Bitbucket sent an event: the payload shapes of the two differ almost everywhere.</summary>
[GenerateSerializer, Alias("Webhooks.BitbucketProduct")]
public enum BitbucketProduct
{
    Cloud,
    DataCenter,
}
