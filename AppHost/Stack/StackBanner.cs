namespace Webhooks.AppHost.Stack;

/// <summary>
/// What a developer needs once the stack is healthy, on the AppHost's console: the Aspire dashboard, the Webhooks
/// dashboard's sign-in link, where Bitbucket posts, the management API, the admin token, the data directory.
/// </summary>
internal sealed class StackBanner(
    ResourceNotificationService notifications,
    DistributedApplicationModel model,
    IConfiguration configuration,
    StackOptions stack,
    [FromKeyedServices(StackBanner.AdminTokenKey)] ParameterResource adminToken,
    ILogger<StackBanner> logger) : BackgroundService
{
    public const string AdminTokenKey = "admin-token";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Tests may start PostgreSQL and Redis alone: then there is nothing to announce.
        if (!model.Resources.Any(r => r.Name == "receiver") || !model.Resources.Any(r => r.Name == "dashboard"))
        {
            return;
        }

        try
        {
            var receiver = await notifications.WaitForResourceHealthyAsync("receiver", stoppingToken).ConfigureAwait(false);
            var dashboard = await notifications.WaitForResourceHealthyAsync("dashboard", stoppingToken).ConfigureAwait(false);
            var token = await adminToken.GetValueAsync(stoppingToken).ConfigureAwait(false) ?? "";
            Console.WriteLine(Render(AspireDashboard.LoginUrl(configuration), Url(dashboard, StackUrls.Dashboard), Url(receiver, StackUrls.WebhookBaseUrl), Url(receiver, StackUrls.ManagementApi), token, stack.DataDirectory));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is InvalidOperationException or DistributedApplicationException)
        {
            // A resource that fails to start never becomes healthy: Aspire's dashboard and log say why. A model without
            // the services (a test of PostgreSQL and Redis alone) has no banner to print.
            logger.LogWarning("The stack did not become healthy: {Reason}", e.Message);
        }
    }

    public static string Render(string? aspireDashboard, string dashboard, string webhookBaseUrl, string managementApi, string adminToken, string dataDirectory)
    {
        var rows = new List<(string Label, string Value, string Note)>();
        if (aspireDashboard is not null)
        {
            rows.Add(("Aspire dashboard", aspireDashboard, "resources, console logs, traces, metrics"));
        }

        rows.Add((StackUrls.Dashboard, dashboard, "opens the Webhooks dashboard, already signed in"));
        rows.Add((StackUrls.WebhookBaseUrl, webhookBaseUrl, "receivers live under here"));
        rows.Add((StackUrls.ManagementApi, managementApi, "JSON API, Authorization: Bearer <admin token>"));
        rows.Add(("Admin token", adminToken, "generated on first run, kept in the data directory"));
        rows.Add(("Data directory", dataDirectory, ""));
        rows.Add(("Stop", "Ctrl+C", "stops everything"));

        var labelWidth = rows.Max(r => r.Label.Length) + 2;
        var valueWidth = rows.Max(r => r.Value.Length) + 1;
        var rule = new string('─', 72);
        var lines = new List<string> { rule, "  Webhooks is running" };
        lines.AddRange(rows.Select(r => r.Note.Length == 0
            ? $"  {r.Label.PadRight(labelWidth)}{r.Value}"
            : $"  {r.Label.PadRight(labelWidth)}{r.Value.PadRight(valueWidth)}← {r.Note}"));
        lines.Add(rule);
        return string.Join(Environment.NewLine, lines);
    }

    private static string Url(ResourceEvent resource, string displayName) =>
        resource.Snapshot.Urls.FirstOrDefault(u => u.DisplayProperties.DisplayName == displayName)?.Url
        ?? throw new InvalidOperationException($"{resource.Resource.Name} has no '{displayName}' URL");
}
