using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;
using Webhooks.Dashboard.Deliveries;
using Webhooks.Grains.Deliveries;

namespace Webhooks.ComponentTests.Shared;

public sealed class StatusBadgeTests : BunitContext
{
    public StatusBadgeTests()
    {
        Services.AddFluentUIComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Theory]
    [InlineData(DeliveryOutcome.Accepted, "accepted")]
    [InlineData(DeliveryOutcome.Rejected, "rejected")]
    [InlineData(DeliveryOutcome.Duplicate, "duplicate")]
    public void AnOutcomeShowsItsWireNameAndItsReasonOnHover(DeliveryOutcome outcome, string text)
    {
        var badge = Render<OutcomeBadge>(parameters => parameters
            .Add(p => p.Outcome, outcome)
            .Add(p => p.Reason, "The signature does not match."));

        var element = badge.Find("[data-testid=outcome]");
        Assert.Equal(text, element.GetAttribute("data-status"));
        Assert.Equal(text, element.TextContent.Trim());
        Assert.Equal("The signature does not match.", element.GetAttribute("title"));
    }
}
