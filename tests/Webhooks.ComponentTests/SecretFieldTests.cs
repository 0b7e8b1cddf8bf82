using Bunit;
using Webhooks.Dashboard.Secrets;

namespace Webhooks.ComponentTests;

public sealed class SecretFieldTests : FluentContext
{
    private const string Secret = "Gkvl$k$wyNpQAF42";

    [Fact]
    public void TheSecretIsNotInTheMarkupUntilRevealedAndLeavesItWhenHidden()
    {
        var field = Render<SecretField>(parameters => parameters.Add(p => p.Value, Secret));

        Assert.DoesNotContain(Secret, field.Markup, StringComparison.Ordinal);

        field.Find("[data-testid=reveal]").Click();
        Assert.Equal(Secret, field.Find("[data-testid=secret-value]").TextContent);

        field.Find("[data-testid=hide]").Click();
        Assert.DoesNotContain(Secret, field.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyHandsTheSecretToTheClipboardWithoutRevealingIt()
    {
        var field = Render<SecretField>(parameters => parameters.Add(p => p.Value, Secret));

        field.Find("[data-testid=copy-secret]").Click();

        var invocation = Assert.Single(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Equal(Secret, invocation.Arguments[0]);
        Assert.DoesNotContain(Secret, field.Markup, StringComparison.Ordinal);
        Assert.Contains("Copied", field.Find("[data-testid=copy-secret]").TextContent);
    }
}
