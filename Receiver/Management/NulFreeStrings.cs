using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Receiver.Management;

/// <summary>
/// Refuses a JSON string holding U+0000 in any management request body. PostgreSQL cannot store the character in
/// text, so a description or pattern carrying one would otherwise fail at the database as a 500; here it is a 400 that
/// names the field (<see cref="BadRequestProblems"/> passes the message on).
/// </summary>
internal sealed class NulFreeStrings : JsonConverter<string>
{
    public const string Message = "Text may not contain the NUL character (\\u0000).";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0') ? throw new JsonException(Message) : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
