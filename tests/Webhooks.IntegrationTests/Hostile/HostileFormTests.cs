using Microsoft.Extensions.DependencyInjection;
using Webhooks.Dashboard.Receivers;
using Webhooks.Dashboard.Warehouses;
using Webhooks.Grains.Management;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.SmartCommits;
using Webhooks.Grains.Tokens;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Refresh;

namespace Webhooks.IntegrationTests.Hostile;

/// <summary>
/// The dashboard's forms with hostile input, through the same form objects and services their pages submit to (on
/// real PostgreSQL): every value is either saved or refused as invalid with the field named, never an exception (which
/// the page would show as "unexpected error"), and the services keep working afterwards.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class HostileFormTests(StorageFixture storage) : IAsyncLifetime
{
    /// <summary>What an operator (or a pasted clipboard) can put in a text field.</summary>
    public static readonly TheoryData<string, string> HostileText = new()
    {
        { "empty", "" },
        { "blank", "   \t  " },
        { "huge", new string('a', 100_000) },
        { "control characters", "acme\u0000\u0007\u001b[31m" },
        { "newlines", "acme\r\nX-Injected: 1" },
        { "markup", "<script>alert(1)</script>" },
        { "right-to-left override", "acme\u202Egpj.exe" },
        { "lone surrogate", "acme\uD800" },
        { "emoji", "🚀🚀🚀" },
        { "sql", "'; DROP TABLE projects; --" },
        { "path", "../../etc/passwd" },
        { "javascript url", "javascript:alert(1)" },
        { "file url", "file:///etc/passwd" },
        { "git ext transport", "ext::sh -c touch% /tmp/pwned" },
        { "url with credentials", "https://user:p%40ss@bitbucket.org/acme/api.git" },
        { "catastrophic regex", "(a+)+$" },
        { "broken glob", "feature/[" },
        { "deep glob", string.Concat(Enumerable.Repeat("**/", 2_000)) },
        { "percent escapes", "%00%0d%0a%ff" },
    };

    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "hostile_forms");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task EveryFormRefusesHostileTextWithTheFieldNamedOrSavesItHarmlessly(string label, string text)
    {
        var services = _host.Services;
        var token = CancellationToken.None;
        var project = $"forms-{label.Replace(' ', '-')}";
        Assert.Null((await services.GetRequiredService<ProjectCatalog>().CreateAsync(new CreateProjectRequest(project), token)).Failure);

        // The project picker's "new project" form.
        AssertSavedOrRefused(await services.GetRequiredService<ProjectCatalog>().CreateAsync(new CreateProjectRequest(text), token), ["name"]);

        // The receivers page: a new receiver, then the edit form (server URL, allowed networks, description).
        var receivers = services.GetRequiredService<ReceiverCatalog>();
        AssertSavedOrRefused(await receivers.CreateAsync(project, new CreateReceiverRequest(text, null, null), null, token), ["name", "secret", "serverUrl"]);
        Assert.Null((await receivers.CreateAsync(project, new CreateReceiverRequest("cloud", null, null), null, token)).Failure);
        foreach (var edit in new[]
        {
            new ReceiverEdit { ServerUrl = text },
            new ReceiverEdit { AllowedNetworks = text },
            new ReceiverEdit { Description = text },
        })
        {
            AssertSavedOrRefused(await receivers.UpdateAsync(project, "cloud", edit.ToRequest(), null, token), ["serverUrl", "allowedNetworks", "description"]);
        }

        // The warehouse editor: every text field of the form and of a subscription.
        var warehouses = services.GetRequiredService<WarehouseCatalog>();
        foreach (var form in new[]
        {
            Warehouse(text, new SubscriptionForm { RepoUrl = "https://bitbucket.org/acme/api" }),
            Warehouse("w", new SubscriptionForm { RepoUrl = text }),
            Warehouse("w", new SubscriptionForm { RepoUrl = "https://bitbucket.org/acme/api", Branch = text }),
            Warehouse("w", new SubscriptionForm { RepoUrl = "https://bitbucket.org/acme/api", Tag = text }),
            Warehouse("w", new SubscriptionForm { RepoUrl = "https://bitbucket.org/acme/api" }, notifyUrl: text),
            Warehouse("w", new SubscriptionForm { RepoUrl = "https://bitbucket.org/acme/api" }, notifyUrl: "https://ci.example.com/hook", notifySecret: text),
            Warehouse("w", new SubscriptionForm { RepoUrl = "https://bitbucket.org/acme/api" }, interval: text),
            Warehouse("w", new SubscriptionForm
            {
                RepoUrl = "https://bitbucket.org/acme/api", Discovery = "git", Credentials = CredentialsKind.Password, Username = text, Password = text,
            }),
        })
        {
            var saved = await warehouses.CreateAsync(project, form.ToRequest(), token);
            AssertSavedOrRefused(saved, ["name", "subscriptions", "notify", "interval"]);
            if (saved.Failure is null)
            {
                Assert.Null(await warehouses.DeleteAsync(project, saved.Value.Name, token));
            }
        }

        // The tokens page and the smart-commit patterns editor.
        AssertSavedOrRefused(await services.GetRequiredService<TokenCatalog>().CreateAsync(new CreateTokenRequest(text, "admin", text, null, null), token),
            ["name", "description", "type"]);
        AssertSavedOrRefused(await services.GetRequiredService<SmartCommitCatalog>().SaveSettingsAsync(project, new SmartCommitSettingsRequest(true, [text]), token),
            ["patterns"]);

        // Still serving: a plain warehouse saves.
        Assert.Null((await warehouses.CreateAsync(project, Warehouse("after", new SubscriptionForm { RepoUrl = "https://bitbucket.org/acme/api" }).ToRequest(), token)).Failure);
    }

    private static WarehouseForm Warehouse(string name, SubscriptionForm subscription, string? notifyUrl = null, string? notifySecret = null, string? interval = null) =>
        new() { Name = name, Subscriptions = [subscription], NotifyUrl = notifyUrl, NotifySecret = notifySecret, Interval = interval, Verify = false };

    private static void AssertSavedOrRefused<T>(ManagementResult<T> result, string[] fields)
    {
        if (result.Failure is not { } failure)
        {
            return;
        }

        Assert.True(failure.Kind is ManagementFailureKind.Invalid or ManagementFailureKind.Conflict, $"{failure.Kind}: {failure.Title}");
        if (failure.Kind == ManagementFailureKind.Invalid)
        {
            Assert.NotEmpty(failure.Errors);
            // Keyed by the field at fault, or by an item or member of it (allowedNetworks[1], subscriptions[0].branch).
            Assert.All(failure.Errors.Keys, key => Assert.True(
                fields.Any(field => key == field || key.StartsWith(field + "[", StringComparison.Ordinal) || key.StartsWith(field + ".", StringComparison.Ordinal)),
                $"'{key}' names none of {string.Join(", ", fields)}"));
            Assert.All(failure.Errors.Values.SelectMany(m => m), message => Assert.False(string.IsNullOrWhiteSpace(message)));
        }
    }
}
