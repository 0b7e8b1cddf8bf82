using System.Diagnostics.CodeAnalysis;
using Webhooks.Grains.Events;

namespace Webhooks.Grains.Events.Parsing;

/// <summary>Either the parsed event or a short reason, safe to show the sender, why the body could not be used.</summary>
public sealed class BitbucketParseResult
{
    private BitbucketParseResult(BitbucketEvent? @event, string? error) => (Event, Error) = (@event, error);

    public BitbucketEvent? Event { get; }

    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Event is not null;

    public static BitbucketParseResult Success(BitbucketEvent @event) => new(@event ?? throw new ArgumentNullException(nameof(@event)), null);

    public static BitbucketParseResult Failure(string error) => new(null, error);

    public override string ToString() => Succeeded ? $"{Event.EventKey} ({Event.Kind})" : $"failed: {Error}";
}
