namespace Webhooks.Grains.Receivers;

/// <summary>The webhook-data of a receiver: what to paste where in Bitbucket Cloud and Data Center.</summary>
public static class WebhookSetupGuide
{
    public const string ContentType = "application/json";

    private static readonly string[] CloudEvents = ["repo:push"];

    private static readonly string[] DataCenterEvents = ["repo:refs_changed", "mirror:repo_synchronized"];

    public static WebhookData For(string url, string? secret, string? serverUrl)
    {
        var cloud = new WebhookSetup(
            "Bitbucket Cloud",
            ["Repository push"],
            CloudEvents,
            [
                "Open the repository, then Repository settings → Webhooks → Add webhook.",
                "Title: a name you will recognise. URL: the URL above.",
                "Secret: the secret above; Bitbucket then signs every request (X-Hub-Signature, HMAC-SHA256).",
                "Status: Active. Triggers: Repository push (the default), nothing else is needed.",
                "Save. Bitbucket Cloud retries only on 5xx answers and drops payloads over 256 KB.",
            ]);

        List<string> dataCenterSteps =
        [
            "Open the repository (or the project, to cover all its repositories), then Settings → Webhooks → Create webhook.",
            "Name: a name you will recognise. URL: the URL above.",
            "Secret: the secret above; Bitbucket then signs every request (X-Hub-Signature, HMAC-SHA256).",
            "Events: tick Repository → Push (refs changed). For a repository served by a smart mirror, also tick Mirror → Mirror synchronized.",
            "Test connection should report success (the receiver answers diagnostics:ping with 200), then Save.",
        ];
        if (serverUrl is null)
        {
            dataCenterSteps.Add(
                "Older Data Center versions send payloads without repository links: set serverUrl on the receiver to the server's base URL, such as https://bitbucket.example.com.");
        }

        var dataCenter = new WebhookSetup(
            "Bitbucket Data Center",
            ["Repository: Push (refs changed)", "Mirror: Mirror synchronized"],
            DataCenterEvents,
            dataCenterSteps);

        return new WebhookData(url, secret, ContentType, [.. CloudEvents, .. DataCenterEvents], new WebhookInstructions(cloud, dataCenter), ReachabilityWarnings.For(url));
    }
}
