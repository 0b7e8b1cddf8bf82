namespace Webhooks.Grains.Events;

[GenerateSerializer, Alias("Webhooks.RefKind")]
public enum RefKind
{
    Branch,
    Tag,
}
