namespace Webhooks.Grains.Events.Parsing;

/// <summary>
/// Raised by the payload readers when a body lacks what its event needs; the parser turns it into a failed
/// <see cref="BitbucketParseResult"/>, so it never leaves the parser. The message is shown to the sender.
/// </summary>
internal sealed class InvalidPayloadException(string message) : Exception(message);
