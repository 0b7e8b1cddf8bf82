using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Receiver.Ingress;

/// <summary>The body of a 2xx ingress answer.</summary>
public sealed record IngressAnswer(
    Guid? DeliveryId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Event,
    string Outcome,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Warehouses);

/// <summary>An ingress answer: status, JSON body, and the same body kept for the history row.</summary>
public sealed record IngressResponse(int StatusCode, object Body)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public string Json => Body is IngressAnswer answer
        ? JsonSerializer.Serialize(answer, IngressAnswerJson.Default.IngressAnswer)
        : JsonSerializer.Serialize(Body, Body.GetType(), JsonOptions);

    // The body is one of the two the factories below make. A 2xx answer is written by the source-generated serializer,
    // not reflection's object path.
    public IResult ToResult() => Body is IngressAnswer answer
        ? TypedResults.Json(answer, IngressAnswerJson.Default.IngressAnswer, statusCode: StatusCode)
        : TypedResults.Problem((ProblemDetails)Body);

    public static IngressResponse Success(int statusCode, IngressAnswer answer) => new(statusCode, answer);

    /// <summary>An RFC 9457 problem; <paramref name="deliveryId"/> lets an operator find the recorded rejection.</summary>
    public static IngressResponse Problem(int statusCode, string title, string detail, Guid deliveryId)
    {
        var problem = new ProblemDetails
        {
            Status = statusCode,
            Title = title,
            Detail = detail,
            Type = $"https://httpstatuses.io/{statusCode}",
        };
        problem.Extensions["deliveryId"] = deliveryId;
        return new(statusCode, problem);
    }
}

/// <summary>The 2xx answer's serializer, generated at build time (web defaults: camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IngressAnswer))]
internal sealed partial class IngressAnswerJson : JsonSerializerContext;
