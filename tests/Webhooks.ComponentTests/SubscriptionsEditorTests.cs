using Bunit;
using Webhooks.Dashboard.Warehouses;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;

namespace Webhooks.ComponentTests;

public sealed class SubscriptionsEditorTests : FluentContext
{
    [Fact]
    public void TheSharedValidatorsMessagesAppearInTheRowAndBesideTheFieldTheyAreAbout()
    {
        var form = new WarehouseForm
        {
            Name = "api",
            Subscriptions =
            [
                new SubscriptionForm { RepoUrl = "https://bitbucket.org/acme/api.git", Branch = "main" },
                new SubscriptionForm { RepoUrl = "not a repository", Tag = "v[1" },
            ],
        };
        var errors = new Dictionary<string, string[]>();
        WarehouseDefinition.Validate(form.ToRequest(), new RefreshOptions(), errors);

        var editor = Render<SubscriptionsEditor>(parameters => parameters
            .Add(p => p.Subscriptions, form.Subscriptions)
            .Add(p => p.Errors, errors));

        var rows = editor.FindAll("[data-testid=subscription]");
        Assert.Equal(2, rows.Count);
        Assert.Empty(rows[0].QuerySelectorAll("[data-testid=field-error]"));
        Assert.Equal(
            new[] { "subscriptions[1].repoUrl", "subscriptions[1].tag" },
            rows[1].QuerySelectorAll("[data-testid=field-error]").Select(e => e.GetAttribute("data-field")!).Order().ToArray());
        Assert.Contains("Give a Bitbucket repository URL", rows[1].QuerySelector("[data-field='subscriptions[1].repoUrl']")!.TextContent);
        Assert.Contains(RefPattern.Rule, rows[1].QuerySelector("[data-field='subscriptions[1].tag']")!.TextContent);
    }

    [Fact]
    public void AMissingSubscriptionListIsReportedAboveTheRows()
    {
        var errors = new Dictionary<string, string[]>();
        WarehouseDefinition.Validate(new WarehouseRequest("api", [], null, null), new RefreshOptions(), errors);

        var editor = Render<SubscriptionsEditor>(parameters => parameters
            .Add(p => p.Subscriptions, [new SubscriptionForm()])
            .Add(p => p.Errors, errors));

        Assert.Contains("Give 1 to 100 subscriptions.", editor.Find("[data-field=subscriptions]").TextContent);
    }

    [Fact]
    public void RowsAreAddedAndRemovedButTheLastOneStays()
    {
        var subscriptions = new List<SubscriptionForm> { new() { RepoUrl = "https://bitbucket.org/acme/api.git" } };
        var rowsChanged = 0;
        var editor = Render<SubscriptionsEditor>(parameters => parameters
            .Add(p => p.Subscriptions, subscriptions)
            .Add(p => p.OnRowsChanged, () => rowsChanged++));

        editor.Find("[data-testid=add-subscription]").Click();
        Assert.Equal(2, editor.FindAll("[data-testid=subscription]").Count);

        editor.FindAll("[data-testid=remove-subscription]")[0].Click();
        Assert.Single(editor.FindAll("[data-testid=subscription]"));
        Assert.Null(subscriptions[0].RepoUrl);

        editor.Find("[data-testid=remove-subscription]").Click();
        Assert.Single(subscriptions);
        Assert.Equal(2, rowsChanged);
    }

    [Fact]
    public void StoredCredentialsThatWouldBeDroppedAreCalledOut()
    {
        var editor = Render<SubscriptionsEditor>(parameters => parameters
            .Add(p => p.Subscriptions, [new SubscriptionForm { RepoUrl = "https://bitbucket.org/acme/api.git", HadCredentials = true }]));

        Assert.Contains("removes them", editor.Find("[data-testid=credentials-kept-hint]").TextContent);
        Assert.Empty(editor.FindAll("[data-testid=password]"));
    }

    [Fact]
    public void TheChosenKindOfCredentialsShowsItsFields()
    {
        var editor = Render<SubscriptionsEditor>(parameters => parameters
            .Add(p => p.Subscriptions,
            [
                new SubscriptionForm { Credentials = CredentialsKind.Password },
                new SubscriptionForm { Credentials = CredentialsKind.SshKey },
            ]));

        var rows = editor.FindAll("[data-testid=subscription]");
        Assert.NotNull(rows[0].QuerySelector("[data-testid=username]"));
        Assert.NotNull(rows[0].QuerySelector("[data-testid=password]"));
        Assert.Null(rows[0].QuerySelector("[data-testid=ssh-key]"));
        Assert.NotNull(rows[1].QuerySelector("[data-testid=ssh-key]"));
        Assert.Null(rows[1].QuerySelector("[data-testid=password]"));
    }
}
