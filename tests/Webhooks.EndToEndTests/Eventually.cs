namespace Webhooks.EndToEndTests;

/// <summary>Polls until a condition holds or a deadline passes: tests never sleep a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> attempt, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await attempt() is { } result)
                {
                    return result;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                last = e;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s{(last is null ? "" : $" (last error: {last.Message})")}.");
    }
}
