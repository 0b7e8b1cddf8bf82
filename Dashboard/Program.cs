using Webhooks.Dashboard.Cluster;
using Webhooks.Dashboard.Components;
using Webhooks.Dashboard.Extensions;
using Webhooks.Dashboard.Login;
using Webhooks.ServiceDefaults.Networking;

var builder = WebApplication.CreateBuilder(args);

// The AppHost runs the dashboard from its build output in any environment: serve Fluent UI's _content/ and
// _framework/ assets from the static web assets manifest rather than only in Development.
builder.WebHost.UseStaticWebAssets();

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseTrustedProxies();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

// Framework and Fluent UI assets are public: the login page needs them before anyone signs in.
app.MapStaticAssets().AllowAnonymous();
app.MapDefaultEndpoints();
app.MapLoginApi();
app.MapOrleansDashboardForOperators();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
