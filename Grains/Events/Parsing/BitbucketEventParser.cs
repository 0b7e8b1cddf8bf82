using System.Text.Json;
using System.Text.Unicode;
using Webhooks.Grains.Events;

namespace Webhooks.Grains.Events.Parsing;

/// <summary>
/// Turns a Bitbucket Cloud or Data Center webhook body into one <see cref="BitbucketEvent"/>. The body is read as
/// it is (the signature was checked over these bytes) and never throws for bad input: every problem becomes a
/// failed <see cref="BitbucketParseResult"/> with a reason the sender may see.
/// </summary>
public static class BitbucketEventParser
{
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        // RFC 8259 leaves duplicate names to each reader (first wins, last wins, error): the repository and refs we act
        // on must be the ones every reader of the stored body sees, and Bitbucket never repeats a name.
        AllowDuplicateProperties = false,
    };

    /// <param name="body">The raw request body.</param>
    /// <param name="eventKey">The <c>X-Event-Key</c> header.</param>
    /// <param name="product">Which Bitbucket sent it (see <see cref="BitbucketHeaders.DetectProduct(Microsoft.AspNetCore.Http.IHeaderDictionary)"/>).</param>
    /// <param name="fallbackServerUrl">
    /// The receiver's configured Data Center base URL (with any context path), used when an old server's payload
    /// carries no repository links.
    /// </param>
    public static BitbucketParseResult Parse(ReadOnlyMemory<byte> body, string eventKey, BitbucketProduct product, string? fallbackServerUrl)
    {
        eventKey = eventKey?.Trim() ?? string.Empty;
        if (eventKey.Length == 0)
            return BitbucketParseResult.Failure("missing event key (X-Event-Key header)");
        if (body.IsEmpty)
            return BitbucketParseResult.Failure("body is empty; expected a JSON object");
        // JsonDocument checks UTF-8 only in the strings it is asked to decode; check it all, once.
        if (!Utf8.IsValid(body.Span))
            return BitbucketParseResult.Failure("body is not valid UTF-8");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            return BitbucketParseResult.Failure(DescribeJsonError(exception));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return BitbucketParseResult.Failure($"body is a JSON {Describe(root.ValueKind)}; expected a JSON object");

            try
            {
                return BitbucketParseResult.Success(Read(root, eventKey, product, fallbackServerUrl));
            }
            catch (InvalidPayloadException exception)
            {
                return BitbucketParseResult.Failure(exception.Message);
            }
            catch (InvalidOperationException)
            {
                // A JsonElement accessor met a type our checks did not expect: still the sender's payload at fault.
                return BitbucketParseResult.Failure($"{eventKey} payload has an unexpected shape");
            }
        }
    }

    private static BitbucketEvent Read(JsonElement root, string eventKey, BitbucketProduct product, string? fallbackServerUrl)
    {
        // Event keys of the two products never collide, so the key alone picks the shape to read.
        if (eventKey == "diagnostics:ping")
            return new BitbucketEvent(product, eventKey, BitbucketEventKind.Ping, null, [], false, null, null, null);
        if (eventKey == "repo:push")
            return CloudPayloadReader.ReadPush(root, eventKey, product);
        if (eventKey.StartsWith("pullrequest:", StringComparison.Ordinal))
            return CloudPayloadReader.ReadPullRequest(root, eventKey, product);
        if (eventKey == "repo:refs_changed")
            return DataCenterPayloadReader.ReadRefsChanged(root, eventKey, product, fallbackServerUrl);
        if (eventKey == "mirror:repo_synchronized")
            return DataCenterPayloadReader.ReadMirrorSynchronized(root, eventKey, product, fallbackServerUrl);
        if (eventKey.StartsWith("pr:", StringComparison.Ordinal))
            return DataCenterPayloadReader.ReadPullRequest(root, eventKey, product, fallbackServerUrl);
        return ReadOther(root, eventKey, product, fallbackServerUrl);
    }

    // An event we do not act on is still recorded: name its repository when the shape tells, never fail on it.
    private static BitbucketEvent ReadOther(JsonElement root, string eventKey, BitbucketProduct product, string? fallbackServerUrl)
    {
        RepositoryInfo? repository = null;
        if (root.Object("repository") is { } element)
        {
            try
            {
                repository = element.String("full_name") is not null
                    ? CloudPayloadReader.ReadRepository(element)
                    : DataCenterPayloadReader.ReadRepository(element, fallbackServerUrl);
            }
            catch (InvalidPayloadException)
            {
                repository = null;
            }
        }

        var actor = CloudPayloadReader.ReadActor(root) ?? DataCenterPayloadReader.ReadActor(root);
        var occurredAt = BitbucketTimestamp.Read(root, "date");
        return new BitbucketEvent(product, eventKey, BitbucketEventKind.Other, repository, [], false, null, actor, occurredAt);
    }

    private static string DescribeJsonError(JsonException exception)
    {
        var where = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty;
        // The reader's exception types for these are internal; the message is the only tell.
        if (exception.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
            return $"body nests deeper than {MaxDepth} levels";
        if (exception.Message.StartsWith("Duplicate property", StringComparison.OrdinalIgnoreCase))
            return "body has an object with a duplicate property name; expected each name once";
        return $"body is not valid JSON{where}";
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
