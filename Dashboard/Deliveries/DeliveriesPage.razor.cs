using Microsoft.AspNetCore.Components;
using Webhooks.Grains.Deliveries;

namespace Webhooks.Dashboard.Deliveries;

/// <summary>
/// The "Recent deliveries" of the product: filters in the URL, the newest page read again every
/// <see cref="DeliveriesOptions.RefreshInterval"/> and merged into the grid (see <see cref="LiveDeliveryList"/>), older
/// pages loaded on demand by keyset.
/// </summary>
public sealed partial class DeliveriesPage
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly LiveDeliveryList _list = new();
    private DeliveryFilterInput _input = new();
    private IReadOnlyList<ProjectReceivers> _projects = [];
    private DeliveryFilterMiss _miss;
    private string? _error;
    private DateTimeOffset _now;
    private bool _loadingOlder;

    // Bumped whenever the filters change, so a read started under the old ones is dropped when it returns.
    private int _version;

    // The controls' values; "" is "any".
    private string _project = string.Empty;
    private string _receiver = string.Empty;
    private string? _event;
    private string _outcome = string.Empty;
    private string _range = DeliveryTimeRange.Any.Name;
    private string? _requestId;
    private string? _repository;

    [SupplyParameterFromQuery(Name = "project")]
    public string? ProjectParameter { get; set; }

    [SupplyParameterFromQuery(Name = "receiver")]
    public string? ReceiverParameter { get; set; }

    [SupplyParameterFromQuery(Name = "event")]
    public string? EventParameter { get; set; }

    [SupplyParameterFromQuery(Name = "outcome")]
    public string? OutcomeParameter { get; set; }

    [SupplyParameterFromQuery(Name = "range")]
    public string? RangeParameter { get; set; }

    [SupplyParameterFromQuery(Name = "requestId")]
    public string? RequestIdParameter { get; set; }

    [SupplyParameterFromQuery(Name = "repository")]
    public string? RepositoryParameter { get; set; }

    private IEnumerable<string> ProjectOptions =>
        [string.Empty, .. _projects.Select(p => p.Project), .. Unlisted(_input.Project, _projects.Select(p => p.Project))];

    private IEnumerable<string> ReceiverOptions
    {
        get
        {
            var names = _projects
                .Where(p => _input.Project is null || p.Project == _input.Project)
                .SelectMany(p => p.Receivers)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            return [string.Empty, .. names, .. Unlisted(_input.Receiver, names)];
        }
    }

    private static IEnumerable<string> OutcomeOptions =>
        [string.Empty, .. DeliveryFilterInput.Outcomes.Select(DeliveryFilterInput.WireName)];

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _projects = await Choices.ProjectsAsync(_disposed.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Logger.LogError(e, "Reading the projects for the delivery filters failed");
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var input = new DeliveryFilterInput(ProjectParameter, ReceiverParameter, EventParameter, OutcomeParameter, RangeParameter, RequestIdParameter, RepositoryParameter);
        if (_list.Loaded && input == _input)
        {
            return;
        }

        _input = input;
        _project = input.Project ?? string.Empty;
        _receiver = input.Receiver ?? string.Empty;
        _event = input.Event;
        _outcome = input.Outcome ?? string.Empty;
        _range = input.TimeRange.Name;
        _requestId = input.RequestId;
        _repository = input.Repository;
        _version++;
        await ReadNewestAsync(reset: true);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Never while prerendering: the live loop belongs to the interactive circuit only.
        if (firstRender)
        {
            _ = FollowAsync(_disposed.Token);
        }
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.Value.RefreshInterval, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await InvokeAsync(async () =>
                {
                    await ReadNewestAsync(reset: false);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private async Task ReadNewestAsync(bool reset)
    {
        var version = _version;
        var now = Clock.GetUtcNow();
        if (_input.HasUnknownOutcome)
        {
            _list.Reset(new DeliveryListing([], null));
            return;
        }

        try
        {
            var page = await History.ListAsync(_input.ToFilter(now), before: null, Options.Value.PageSize, _disposed.Token);
            if (version != _version)
            {
                return;
            }

            _now = now;
            _miss = page.Miss;
            _error = null;
            if (reset)
            {
                _list.Reset(page);
            }
            else
            {
                _list.MergeNewest(page);
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Reading the delivery history failed");
            _error = "The database did not answer (details are in the dashboard's log).";
        }
    }

    private async Task LoadOlderAsync()
    {
        if (_list.Older is not { } older)
        {
            return;
        }

        var version = _version;
        _loadingOlder = true;
        try
        {
            var page = await History.ListAsync(_input.ToFilter(_now), older, Options.Value.PageSize, _disposed.Token);
            if (version == _version)
            {
                _list.AppendOlder(page);
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Reading older deliveries failed");
            _error = "Older deliveries could not be read (details are in the dashboard's log).";
        }
        finally
        {
            _loadingOlder = false;
        }
    }

    private Task ApplyFiltersAsync()
    {
        // A new project may not have the chosen receiver: drop it rather than filter on a name that cannot match.
        var receiver = _receiver;
        if (_project.Length > 0 && receiver.Length > 0
            && _projects.FirstOrDefault(p => p.Project == _project) is { } chosen && !chosen.Receivers.Contains(receiver))
        {
            receiver = string.Empty;
        }

        var input = new DeliveryFilterInput(_project, receiver, _event, _outcome, _range, _requestId, _repository);
        Navigation.NavigateTo(input.ToUrl());
        return Task.CompletedTask;
    }

    private Task ClearFiltersAsync()
    {
        Navigation.NavigateTo(new DeliveryFilterInput().ToUrl());
        return Task.CompletedTask;
    }

    private Task OpenAsync(DeliveryListItem? delivery)
    {
        if (delivery is not null)
        {
            Navigation.NavigateTo(DeliveryLinks.Delivery(delivery.Id));
        }

        return Task.CompletedTask;
    }

    private string? RowClass(DeliveryListItem delivery) => _list.IsFresh(delivery.Id) ? "fresh-row" : null;

    private static string Origin(DeliveryListItem delivery) => (delivery.Project, delivery.Receiver, delivery.Token) switch
    {
        ({ } project, { } receiver, _) => $"{project} · {receiver}",
        ({ } project, null, { } token) => $"{project} · token {token}",
        ({ } project, null, null) => project,
        _ => "unknown receiver",
    };

    /// <summary>A value the URL names but the lists do not hold (deleted meanwhile): still shown as chosen.</summary>
    private static IEnumerable<string> Unlisted(string? value, IEnumerable<string> listed) =>
        value is not null && !listed.Contains(value, StringComparer.Ordinal) ? [value] : [];

    // Cancelled, not disposed: a read already in flight may still ask for the token while it unwinds.
    public async ValueTask DisposeAsync() => await _disposed.CancelAsync();
}
