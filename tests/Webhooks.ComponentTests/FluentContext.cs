using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Webhooks.ComponentTests;

/// <summary>A bUnit context with Fluent UI's services; its JavaScript calls (web components, focus) answer nothing.</summary>
public abstract class FluentContext : BunitContext
{
    protected FluentContext()
    {
        Services.AddFluentUIComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }
}
