namespace Webhooks.BrowserTests;

/// <summary>Polls until a condition holds or a deadline passes: tests never sleep a fixed time.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(200);
        }
    }
}
