using Microsoft.AspNetCore.Components;
using Webhooks.Dashboard.Components.Shared;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Refresh;

namespace Webhooks.Dashboard.Deliveries;

/// <summary>
/// One delivery: what Bitbucket sent (headers with credentials redacted, the body pretty-printed), what we answered, how
/// far it got and the refreshes it caused. Followed live until it is processed and its refreshes are done.
/// </summary>
public sealed partial class DeliveryPage
{
    private readonly CancellationTokenSource _disposed = new();
    private DeliveryRecord? _delivery;
    private bool _notFound;
    private string? _error;
    private DateTimeOffset _now;
    private RedeliveryResult? _redelivery;
    private IReadOnlyList<Webhooks.Grains.Warehouses.DeliveryFreightView> _freight = [];

    [Parameter]
    public Guid Id { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        _delivery = null;
        _notFound = false;
        _redelivery = null;
        await ReadAsync();
    }

    /// <summary>Shows what became of a redelivery and reads the delivery again, which now lists its replay.</summary>
    private async Task ShowRedelivery(RedeliveryResult result)
    {
        _redelivery = result;
        await ReadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _ = FollowAsync(_disposed.Token);
        }
    }

    /// <summary>Re-reads while something can still change: the state, or a refresh not finished.</summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.Value.RefreshInterval, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_notFound || (_delivery is { } d && IsSettled(d)))
                {
                    // Still tick: the relative times ("12 s ago") keep moving.
                    _now = Clock.GetUtcNow();
                    await InvokeAsync(StateHasChanged);
                    continue;
                }

                await InvokeAsync(async () =>
                {
                    await ReadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private async Task ReadAsync()
    {
        var id = Id;
        try
        {
            var delivery = await History.GetAsync(id, _disposed.Token);
            var freight = delivery is null ? [] : await Warehouses.ListFreightOfDeliveryAsync(id, _disposed.Token);
            if (id != Id)
            {
                return;
            }

            _now = Clock.GetUtcNow();
            _delivery = delivery;
            _freight = freight;
            _notFound = delivery is null;
            _error = null;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Reading delivery {DeliveryId} failed", id);
            _error = "The database did not answer (details are in the dashboard's log).";
        }
    }

    /// <summary>Nothing more will happen to it: not routed at all, or processed with every refresh finished.</summary>
    public static bool IsSettled(DeliveryRecord delivery) =>
        delivery.State is null
        || (delivery.State == DeliveryState.Processed
            && delivery.Refreshes.All(r => r.CompletedAt is not null && r.Refresh is not { Status: RefreshStatus.Running }));

    private static string SourceLabel(string source) => source switch
    {
        "cloud" => "Cloud",
        "datacenter" => "Data Center",
        _ => "(unknown product)",
    };

    private static StatusTone RunTone(RefreshStatus status) => status switch
    {
        RefreshStatus.Succeeded => StatusTone.Success,
        RefreshStatus.Failed => StatusTone.Danger,
        RefreshStatus.Interrupted => StatusTone.Warning,
        _ => StatusTone.Informative,
    };

    // Cancelled, not disposed: a read already in flight may still ask for the token while it unwinds.
    public async ValueTask DisposeAsync() => await _disposed.CancelAsync();
}
