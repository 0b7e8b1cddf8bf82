using Microsoft.AspNetCore.Http;
using Webhooks.Receiver.Management;

namespace Webhooks.UnitTests.Management;

public sealed class BadRequestProblemsTests
{
    [Theory]
    [InlineData("Nullable<int> Limit", "limit", "Give a whole number.")]
    [InlineData("int limit", "limit", "Give a whole number.")]
    [InlineData("Nullable<Guid> Receiver", "receiver", "Give an id (a UUID such as 0190b6f4-8a4e-7c55-9a1e-3f1c6c2d9b7e).")]
    public void AQueryValueThatDoesNotBindNamesTheKeyAsWrittenAndWhatToGive(string parameter, string key, string rule)
    {
        var exception = new BadHttpRequestException($"Failed to bind parameter \"{parameter}\" from \"abc\".", StatusCodes.Status400BadRequest);

        var (title, errors) = BadRequestProblems.Describe(exception);

        Assert.Equal("The query is not valid.", title);
        Assert.Equal([rule], Assert.Contains(key, errors));
    }
}
