using System.Globalization;
using System.Xml;
using Webhooks.Grains.Discovery;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Repositories;

namespace Webhooks.Grains.Warehouses;

/// <summary>A validated <see cref="WarehouseRequest"/>, or the validation errors keyed as the request's JSON paths.</summary>
public sealed record WarehouseDefinition(
    string Name,
    IReadOnlyList<WarehouseDefinition.SubscriptionDefinition> Subscriptions,
    string? NotifyUrl,
    string? NotifySecret,
    TimeSpan Interval,
    bool? LegacyHubSignature = null,
    bool ClearNotifySecret = false,
    bool Verify = true)
{
    public const int MaxSubscriptions = 100;

    public static WarehouseDefinition? Validate(WarehouseRequest request, RefreshOptions options, Dictionary<string, string[]> errors)
    {
        if (!ResourceName.IsValid(request.Name))
        {
            errors["name"] = [ResourceName.Rule];
        }

        if (request.Subscriptions is not { Count: > 0 and <= MaxSubscriptions })
        {
            errors["subscriptions"] = [$"Give 1 to {MaxSubscriptions} subscriptions."];
        }

        var subscriptions = new List<SubscriptionDefinition>();
        for (var i = 0; i < (request.Subscriptions?.Count ?? 0); i++)
        {
            if (ValidateSubscription(request.Subscriptions![i], $"subscriptions[{i}]", errors) is { } subscription)
            {
                subscription.Subscription.Position = i;
                subscriptions.Add(subscription);
            }
        }

        string? notifyUrl = null;
        if (request.Notify is { } notify)
        {
            if (string.IsNullOrWhiteSpace(notify.Url)
                || notify.Url.Length > 2048
                || !Uri.TryCreate(notify.Url.Trim(), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || !string.IsNullOrEmpty(uri.UserInfo))
            {
                errors["notify.url"] = ["Give the absolute http(s) URL Freight events are posted to, without credentials in it."];
            }
            else
            {
                notifyUrl = notify.Url.Trim();
            }

            if (notify.Secret is not null && !Notifications.NotifySecret.IsValid(notify.Secret))
            {
                errors["notify.secret"] = [Notifications.NotifySecret.Rule];
            }

            if (notify.ClearSecret == true && notify.Secret is not null)
            {
                errors["notify.clearSecret"] = ["Give a new secret or clear the current one, not both."];
            }
        }

        var interval = options.DefaultInterval;
        if (request.Interval is not null && (!TryParseDuration(request.Interval, out interval) || interval < options.MinimumInterval || interval > TimeSpan.FromDays(7)))
        {
            errors["interval"] = [$"Give an ISO 8601 duration such as 'PT5M' or a time span such as '00:05:00', from {options.MinimumInterval} to 7 days."];
        }

        return errors.Count > 0
            ? null
            : new WarehouseDefinition(
                request.Name!, subscriptions, notifyUrl, request.Notify?.Secret, interval, request.Notify?.LegacyHubSignature,
                request.Notify?.ClearSecret == true, request.Verify != false);
    }

    private static SubscriptionDefinition? ValidateSubscription(SubscriptionRequest? request, string path, Dictionary<string, string[]> errors)
    {
        if (request is null)
        {
            errors[path] = ["A subscription is an object: {repoUrl, branch?, tag?, discovery?, credentials?}."];
            return null;
        }

        var valid = true;
        if (!RepositoryKey.TryCanonicalize(request.RepoUrl, out var key) || request.RepoUrl!.Length > 2048)
        {
            errors[$"{path}.repoUrl"] = ["Give a Bitbucket repository URL: https://bitbucket.org/<workspace>/<repo>.git, git@bitbucket.org:<workspace>/<repo>.git, https://<server>/scm/<project>/<repo>.git, …"];
            valid = false;
        }

        if (request.Branch is not null && !RefPattern.IsValid(request.Branch))
        {
            errors[$"{path}.branch"] = [RefPattern.Rule];
            valid = false;
        }

        if (request.Tag is not null && !RefPattern.IsValid(request.Tag))
        {
            errors[$"{path}.tag"] = [RefPattern.Rule];
            valid = false;
        }

        var discovery = DiscoveryMode.Payload;
        if (request.Discovery is not null && !Enum.TryParse(request.Discovery, ignoreCase: true, out discovery) || !Enum.IsDefined(discovery))
        {
            errors[$"{path}.discovery"] = ["Use 'payload' (heads from the signed push) or 'git' (list the repository's refs)."];
            valid = false;
        }

        GitCredentials? credentials = null;
        if (request.Credentials is { } given)
        {
            var hasPassword = !string.IsNullOrEmpty(given.Username) || !string.IsNullOrEmpty(given.Password);
            var hasKey = !string.IsNullOrEmpty(given.SshPrivateKey);
            if (hasPassword == hasKey || (hasPassword && string.IsNullOrEmpty(given.Password)))
            {
                errors[$"{path}.credentials"] = ["Give either {username, password} (password or access token) or {sshPrivateKey}."];
                valid = false;
            }
            else
            {
                credentials = new GitCredentials(given.Username, given.Password, given.SshPrivateKey);
            }
        }

        if (request.ClearCredentials == true && request.Credentials is not null)
        {
            errors[$"{path}.clearCredentials"] = ["Give new credentials or clear the current ones, not both."];
            valid = false;
        }

        var subscription = new Subscription
        {
            RepositoryKey = key,
            RepositoryUrl = request.RepoUrl?.Trim() ?? "",
            Branch = request.Branch,
            Tag = request.Tag,
            Discovery = discovery,
        };
        return valid ? new SubscriptionDefinition(subscription, credentials, request.ClearCredentials == true) : null;
    }

    /// <summary>
    /// A subscription to store, and its credentials in the clear until the endpoint encrypts them. Without credentials,
    /// an edit keeps those stored for the same URL unless <see cref="ClearCredentials"/>.
    /// </summary>
    public sealed record SubscriptionDefinition(Subscription Subscription, GitCredentials? Credentials, bool ClearCredentials = false);

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        text = text.Trim();
        if (text.StartsWith('P'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                duration = default;
                return false;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}
