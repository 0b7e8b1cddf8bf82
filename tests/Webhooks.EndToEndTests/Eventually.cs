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

    /// <summary>Reads until <paramref name="done"/> holds for what was read (any type, structs too); returns that value.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what) =>
        (await ReturnsAsync(
            async () =>
            {
                var value = await read();
                return done(value) ? new Holder<T>(value) : null;
            },
            timeout,
            what)).Value;

    private sealed record Holder<T>(T Value);
}
