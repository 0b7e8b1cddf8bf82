namespace Webhooks.Grains.Events;

[GenerateSerializer, Alias("Webhooks.RefChangeType")]
public enum RefChangeType
{
    Create,
    Update,
    Delete,
}
