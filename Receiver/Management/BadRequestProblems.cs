using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Receiver.Management;

/// <summary>
/// Turns what minimal APIs throw for a request they cannot bind (<see cref="BadHttpRequestException"/>: a body that is
/// not JSON, is empty, has the wrong type at some path or a property nobody knows; a query value that is not a number)
/// into a 400 (or its own 4xx) validation problem that names the field or the position, instead of a 500 with a stack
/// trace. The words are ours: the framework's messages name .NET types and parameters, and never help the caller.
/// </summary>
internal sealed partial class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    /// <summary>The <c>errors</c> key for a problem with the body as a whole (empty, not JSON, the wrong kind of value).</summary>
    public const string BodyKey = "$";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        var (title, errors) = Describe(bad);
        httpContext.Response.StatusCode = bad.StatusCode;
        ProblemDetails problem = errors.Count > 0
            ? new HttpValidationProblemDetails(errors) { Status = bad.StatusCode, Title = title }
            : new ProblemDetails { Status = bad.StatusCode, Title = title };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    internal static (string Title, Dictionary<string, string[]> Errors) Describe(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            return ("The request body is not valid.", new Dictionary<string, string[]> { [Key(json)] = [Explain(json)] });
        }

        var message = exception.Message;
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ("The request body must be JSON.", new Dictionary<string, string[]> { [BodyKey] = ["Send the body as application/json."] });
        }

        if (message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase)
            || message.Contains("from body", StringComparison.OrdinalIgnoreCase))
        {
            return ("The request body is missing.", new Dictionary<string, string[]> { [BodyKey] = ["Send a JSON object."] });
        }

        if (BindFailure().Match(message) is { Success: true } bind)
        {
            // [AsParameters] records report their property (Limit), the query string has it as clients write it (limit).
            var (type, name) = (bind.Groups["type"].Value, JsonNamingPolicy.CamelCase.ConvertName(bind.Groups["name"].Value));
            return ("The query is not valid.", new Dictionary<string, string[]> { [name] = [$"Give {Expected(type)}."] });
        }

        if (RequiredParameter().Match(message) is { Success: true } required)
        {
            var name = required.Groups["name"].Value;
            return ("The request is not valid.", new Dictionary<string, string[]> { [name] = ["Give a value."] });
        }

        return (exception.StatusCode == StatusCodes.Status400BadRequest ? "The request is not valid." : ReasonPhrase(exception.StatusCode), []);
    }

    /// <summary>The JSON path of the problem as the validation errors key fields (<c>subscriptions[0].repoUrl</c>).</summary>
    private static string Key(JsonException json)
    {
        var path = json.Path ?? BodyKey;
        if (UnmappedMember().Match(json.Message) is { Success: true } unmapped)
        {
            var member = unmapped.Groups["member"].Value;
            // The reader reports the object's path or the member's, depending on where it stopped.
            if (!path.EndsWith("." + member, StringComparison.Ordinal) && !path.EndsWith($"['{member}']", StringComparison.Ordinal))
            {
                path = path == BodyKey ? $"$.{member}" : $"{path}.{member}";
            }
        }

        return path == BodyKey ? BodyKey : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Explain(JsonException json)
    {
        var position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        if (UnmappedMember().Match(json.Message) is { Success: true } unmapped)
        {
            return $"'{Printable(unmapped.Groups["member"].Value)}' is not a property of this object; check its spelling.";
        }

        if (json.Message.StartsWith(NulFreeStrings.Message, StringComparison.Ordinal))
        {
            return NulFreeStrings.Message;
        }

        if (Conversion().Match(json.Message) is { Success: true } conversion)
        {
            return $"Expected {Expected(conversion.Groups["type"].Value)} here{position}.";
        }

        if (json.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            return $"The body nests deeper than 64 levels{position}.";
        }

        if (json.Message.StartsWith("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"A property is given twice{position}.";
        }

        return $"The body is not valid JSON{position}.";
    }

    /// <summary>What a caller must send where the binder wanted a value of <paramref name="type"/> (a .NET type name).</summary>
    private static string Expected(string type)
    {
        var name = type.TrimEnd('?');
        // The binder writes a nullable value type as Nullable<int>; JSON as System.Nullable`1[System.Int32].
        if (NullableOf().Match(name) is { Success: true } nullable)
        {
            name = nullable.Groups["type"].Value;
        }

        if (name.IndexOfAny(['`', '[']) is var generic and > 0)
        {
            var isArray = name.EndsWith("[]", StringComparison.Ordinal);
            name = name[..generic] + (isArray ? "[]" : "");
        }

        name = name[(name.LastIndexOf('.') + 1)..];
        return name switch
        {
            "String" or "string" => "a string",
            "Int32" or "int" or "Int64" or "long" or "Int16" or "short" => "a whole number",
            "Double" or "double" or "Decimal" or "decimal" or "Single" or "float" => "a number",
            "Boolean" or "bool" => "true or false",
            "Guid" => "an id (a UUID such as 0190b6f4-8a4e-7c55-9a1e-3f1c6c2d9b7e)",
            "DateTimeOffset" or "DateTime" => "an ISO 8601 date and time",
            _ when name.StartsWith("IReadOnlyList", StringComparison.Ordinal) || name.StartsWith("List", StringComparison.Ordinal)
                || name.StartsWith("IEnumerable", StringComparison.Ordinal) || name.EndsWith("[]", StringComparison.Ordinal) => "an array",
            _ => "an object",
        };
    }

    private static string Printable(string text)
    {
        var printable = new string([.. text.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 100 ? printable + "…" : printable;
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Bad request";

    [GeneratedRegex("The JSON property '(?<member>.*)' could not be mapped", RegexOptions.Singleline)]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"could not be converted to (?<type>[^\s]+?)\.? Path", RegexOptions.Singleline)]
    private static partial Regex Conversion();

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^"]+) (?<name>[^" ]+)" from""")]
    private static partial Regex BindFailure();

    [GeneratedRegex(@"^(System\.)?Nullable(<|`1\[\[?)(?<type>[^,<>\[\]]+)")]
    private static partial Regex NullableOf();

    [GeneratedRegex("""Required parameter "(?<type>[^"]+) (?<name>[^" ]+)" was not provided""")]
    private static partial Regex RequiredParameter();
}
