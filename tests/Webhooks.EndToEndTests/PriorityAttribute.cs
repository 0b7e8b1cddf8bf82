namespace Webhooks.EndToEndTests;

/// <summary>Order within a class run by <see cref="PriorityOrderer"/>: lower first (the shared stack is stopped last).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PriorityAttribute(int priority) : Attribute
{
    public int Priority { get; } = priority;
}
