namespace Webhooks.Receiver.Management;

/// <summary>
/// Answers 400 when a route or query value of a management endpoint holds a control character. No name, key or filter
/// can contain one, and PostgreSQL refuses U+0000 in a query parameter outright (a 500 otherwise).
/// </summary>
internal static class ControlCharacterFilter
{
    public static RouteGroupBuilder RejectControlCharacters(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var offending = request.RouteValues
                .Where(value => value.Value is string text && HasControlCharacter(text))
                .Select(value => value.Key)
                .Concat(request.Query.Where(value => value.Value.Any(text => text is not null && HasControlCharacter(text))).Select(value => value.Key))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToDictionary(name => name, _ => new[] { "Control characters are not allowed here." });
            return offending.Count > 0
                ? TypedResults.ValidationProblem(offending, title: "The request is not valid.")
                : await next(context);
        });
        return group;
    }

    private static bool HasControlCharacter(string text) => text.Any(char.IsControl);
}
