using Webhooks.Dashboard.Warehouses;
using Webhooks.Grains.Warehouses;

namespace Webhooks.ComponentTests;

public sealed class WarehouseFormTests
{
    /// <summary>A stored warehouse with a notify secret and a git subscription with credentials.</summary>
    private static readonly WarehouseView Stored = new(
        Guid.NewGuid(), "api", "idle",
        [new SubscriptionView("https://bitbucket.org/acme/api.git", "bitbucket.org/acme/api", "main", null, "git", HasCredentials: true)],
        new NotifyView("https://ci.example.com/hook", HasSecret: true),
        "PT5M", null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public void BlankOptionalFieldsAreLeftOutAndOnlyTheChosenCredentialsAreSent()
    {
        var form = new WarehouseForm
        {
            Name = " api ",
            Subscriptions =
            [
                new SubscriptionForm
                {
                    RepoUrl = " https://bitbucket.org/acme/api.git ",
                    Branch = " ",
                    Tag = "v*",
                    Discovery = "git",
                    Credentials = CredentialsKind.Password,
                    Username = "ci",
                    Password = "s3cret",
                    SshPrivateKey = "left over from switching kinds",
                },
            ],
            NotifyUrl = "https://ci.example.com/hook",
            NotifySecret = "",
            Interval = " ",
        };

        var request = form.ToRequest();

        Assert.Equal("api", request.Name);
        var subscription = Assert.Single(request.Subscriptions!);
        Assert.Equal(new SubscriptionRequest("https://bitbucket.org/acme/api.git", null, "v*", "git", new CredentialsRequest("ci", "s3cret", null)), subscription);
        // The form always says whether the deprecated header is wanted: it shows the stored choice.
        Assert.Equal(new NotifyRequest("https://ci.example.com/hook", null, LegacyHubSignature: false), request.Notify);
        Assert.Null(request.Interval);
    }

    [Fact]
    public void AStoredWarehouseFillsTheFormWithoutItsSecrets()
    {
        var form = WarehouseForm.From(Stored);

        Assert.Equal("api", form.Name);
        Assert.True(form.HadNotifySecret);
        Assert.Null(form.NotifySecret);
        var subscription = Assert.Single(form.Subscriptions);
        Assert.True(subscription.HadCredentials);
        Assert.Equal(CredentialsKind.Stored, subscription.Credentials);
        Assert.Equal("git", subscription.Discovery);
        Assert.Equal("PT5M", form.Interval);
    }

    [Fact]
    public void TheDeprecatedHubSignatureOptionIsKeptThroughAnEditAndALeftOutSecretIsSentAsNone()
    {
        var view = new WarehouseView(
            Guid.NewGuid(), "api", "idle",
            [new SubscriptionView("https://bitbucket.org/acme/api.git", "bitbucket.org/acme/api", "main", null, "payload", HasCredentials: false)],
            new NotifyView("https://ci.example.com/hook", HasSecret: true, LegacyHubSignature: true),
            "PT5M", null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var request = WarehouseForm.From(view).ToRequest();

        Assert.Equal(new NotifyRequest("https://ci.example.com/hook", null, true, null), request.Notify);
    }

    [Fact]
    public void SavingAStoredWarehouseUntouchedKeepsItsSecretAndCredentials()
    {
        var request = WarehouseForm.From(Stored).ToRequest();

        var subscription = Assert.Single(request.Subscriptions!);
        Assert.Null(subscription.Credentials);
        Assert.Null(subscription.ClearCredentials);
        Assert.Equal(new NotifyRequest("https://ci.example.com/hook", null, false, null), request.Notify);
        Assert.Null(request.Verify);
    }

    [Fact]
    public void RemovingTheSecretAndTheCredentialsSaysSoExplicitly()
    {
        var form = WarehouseForm.From(Stored);
        form.ClearNotifySecret = true;
        form.NotifySecret = "typed and then cleared anyway";
        form.Subscriptions[0].Credentials = CredentialsKind.None;
        form.Verify = false;

        var request = form.ToRequest();

        Assert.True(Assert.Single(request.Subscriptions!).ClearCredentials);
        Assert.Equal(new NotifyRequest("https://ci.example.com/hook", null, false, true), request.Notify);
        Assert.False(request.Verify);
    }
}
