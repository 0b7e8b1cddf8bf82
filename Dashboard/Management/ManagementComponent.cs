using Microsoft.AspNetCore.Components;
using Webhooks.Grains.Management;

namespace Webhooks.Dashboard.Management;

/// <summary>
/// A page or panel that calls the management catalogs. Every call goes through <see cref="TryAsync"/>: a failure the
/// catalog explains (<see cref="ManagementFailure"/>) or an unexpected one becomes a message on the page, never a broken
/// circuit. Work started here stops when the component goes away.
/// </summary>
public abstract class ManagementComponent : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _closed = new();

    [Inject]
    private ILogger<ManagementComponent> Logger { get; set; } = default!;

    /// <summary>Cancelled when the component is disposed (the page was left or the circuit closed).</summary>
    protected CancellationToken Closing => _closed.Token;

    /// <summary>What the last operation could not do, as the catalog explained it; null when it succeeded.</summary>
    protected ManagementFailure? Failure { get; set; }

    /// <summary>A message for an operation that failed unexpectedly (storage or cluster down, …); null otherwise.</summary>
    protected string? UnexpectedError { get; set; }

    /// <summary>Field errors of the last invalid input, keyed as the request's JSON paths.</summary>
    protected IReadOnlyDictionary<string, string[]> FieldErrors =>
        Failure is { Kind: ManagementFailureKind.Invalid } failure ? failure.Errors : Empty;

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();

    /// <summary>Runs <paramref name="work"/>; true when it ran to the end. <paramref name="action"/> completes "Could not …".</summary>
    protected async Task<bool> TryAsync(string action, Func<CancellationToken, Task> work)
    {
        try
        {
            UnexpectedError = null;
            await work(Closing);
            return true;
        }
        catch (OperationCanceledException) when (Closing.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Dashboard could not {Action}", action);
            UnexpectedError = $"Could not {action}: an unexpected error occurred (the details are in the dashboard's log). Try again in a moment.";
            return false;
        }
    }

    /// <summary>Takes a catalog result: its value, or null with <see cref="Failure"/> set.</summary>
    protected T? Take<T>(ManagementResult<T> result) where T : class
    {
        Failure = result.Failure;
        return result.Succeeded ? result.Value : null;
    }

    /// <summary>
    /// Runs <paramref name="read"/> every <paramref name="interval"/> and re-renders, until the component goes away.
    /// Call it from <c>OnAfterRender(firstRender)</c>, which runs only once the circuit is live: prerendering must not
    /// leave a timer behind.
    /// </summary>
    protected void PollEvery(TimeSpan interval, Func<Task> read) => _ = PollAsync(interval, read);

    private async Task PollAsync(TimeSpan interval, Func<Task> read)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(Closing))
            {
                await InvokeAsync(async () =>
                {
                    await read();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        catch (ObjectDisposedException)
        {
            // The page was closed while a tick was due.
        }
    }

    public void Dispose()
    {
        _closed.Cancel();
        _closed.Dispose();
        GC.SuppressFinalize(this);
    }
}
